import * as tf from '@tensorflow/tfjs';
import type { LayerAdapter } from '../graph/builder';
import { reshapeBack } from './reshape';

/** Flatten: relevance is reshaped back to the input's shape. */
export const flattenAdapter: LayerAdapter = (layer, inputs, builder, name) =>
  builder.add({
    kind: 'structural',
    role: 'reshape',
    name,
    layerName: name,
    className: 'Flatten',
    inputs,
    apply: ([x]) => tf.reshape(x, [x.shape[0], -1]),
    propagate: reshapeBack,
  });
