import type { LayerAdapter } from '../graph/builder';
import { AvgPoolOp } from '../ops/pool';
import { poolGeometry } from './util';

/** AveragePooling2D: a linear layer with fixed weights 1/(pool area). */
export const averagePooling2dAdapter: LayerAdapter = (layer, inputs, builder, name) =>
  builder.add({
    kind: 'linear',
    name,
    layerName: name,
    className: 'AveragePooling2D',
    inputs,
    op: new AvgPoolOp(poolGeometry(name, layer)),
    activation: null,
  });
