import type { LayerAdapter } from '../graph/builder';
import { GlobalMaxPoolOp } from '../ops/global-max-pool';
import { requireChannelsLast } from './util';

/** GlobalMaxPooling2D: winner-take-all per channel. */
export const globalMaxPooling2dAdapter: LayerAdapter = (layer, inputs, builder, name) => {
  requireChannelsLast(name, layer);
  return builder.add({
    kind: 'linear',
    name,
    layerName: name,
    className: 'GlobalMaxPooling2D',
    inputs,
    op: new GlobalMaxPoolOp(),
    activation: null,
  });
};
