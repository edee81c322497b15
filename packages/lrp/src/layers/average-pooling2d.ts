import type { LayerAdapter } from '../graph/builder';
import { AvgPoolOp } from '../ops/pool';
import { config, padding, pair, requireChannelsLast } from './util';

/** AveragePooling2D: a linear layer with fixed weights 1/(pool area). */
export const averagePooling2dAdapter: LayerAdapter = (layer, inputs, builder, name) => {
  requireChannelsLast(name, layer);
  const poolSize = pair(config(layer).poolSize, 2);
  const strides = pair(config(layer).strides ?? poolSize, 1);
  return builder.add({
    kind: 'linear',
    name,
    layerName: name,
    className: 'AveragePooling2D',
    inputs,
    op: new AvgPoolOp({ poolSize, strides, padding: padding(name, layer) }),
    activation: null,
  });
};
