import type { LayerAdapter } from '../graph/builder';
import { MaxPoolOp } from '../ops/pool';
import { poolGeometry } from './util';

/** MaxPooling2D: winner-take-all by default; composites may ask for the average-pool treatment. */
export const maxPooling2dAdapter: LayerAdapter = (layer, inputs, builder, name) =>
  builder.add({
    kind: 'linear',
    name,
    layerName: name,
    className: 'MaxPooling2D',
    inputs,
    op: new MaxPoolOp(poolGeometry(name, layer)),
    activation: null,
  });
