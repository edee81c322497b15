import type { LayerAdapter } from '../graph/builder';
import { GlobalAvgPoolOp } from '../ops/pool';
import { requireChannelsLast } from './util';

/** GlobalAveragePooling2D: `[N, H, W, C]` → `[N, C]`, a linear layer with weights 1/(H·W). */
export const globalAveragePooling2dAdapter: LayerAdapter = (layer, inputs, builder, name) => {
  requireChannelsLast(name, layer);
  return builder.add({
    kind: 'linear',
    name,
    layerName: name,
    className: 'GlobalAveragePooling2D',
    inputs,
    op: new GlobalAvgPoolOp(),
    activation: null,
  });
};
