import * as tf from '@tensorflow/tfjs';
import type { LayerAdapter } from '../graph/builder';
import { config } from './util';

/** Relevance of a reshape: the same numbers in the input's shape (batch axis kept). */
export function reshapeBack(relevance: tf.Tensor, inputs: tf.Tensor[]): tf.Tensor[] {
  return [tf.reshape(relevance, [relevance.shape[0], ...inputs[0].shape.slice(1)])];
}

/** Reshape: relevance is reshaped back. */
export const reshapeAdapter: LayerAdapter = (layer, inputs, builder, name) => {
  const target = config(layer).targetShape as number[];
  return builder.add({
    kind: 'structural',
    role: 'reshape',
    name,
    layerName: name,
    className: 'Reshape',
    inputs,
    apply: ([x]) => tf.reshape(x, [x.shape[0], ...target]),
    propagate: reshapeBack,
  });
};
