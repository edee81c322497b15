import type { LayerAdapter } from '../graph/builder';
import { MaxPoolOp } from '../ops/pool';
import { config, padding, pair, requireChannelsLast } from './util';

/** MaxPooling2D: winner-take-all by default; composites may ask for the average-pool treatment. */
export const maxPooling2dAdapter: LayerAdapter = (layer, inputs, builder, name) => {
  requireChannelsLast(name, layer);
  const poolSize = pair(config(layer).poolSize, 2);
  const strides = pair(config(layer).strides ?? poolSize, 1);
  return builder.add({
    kind: 'linear',
    name,
    layerName: name,
    className: 'MaxPooling2D',
    inputs,
    op: new MaxPoolOp({ poolSize, strides, padding: padding(name, layer) }),
    activation: null,
  });
};
