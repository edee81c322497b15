import * as tf from '@tensorflow/tfjs';
import type { LayerAdapter } from '../graph/builder';
import { config } from './util';

/** Concatenate: each input gets its slice of the relevance back. */
export const concatenateAdapter: LayerAdapter = (layer, inputs, builder, name) => {
  const axis = Number(config(layer).axis ?? -1);
  return builder.add({
    kind: 'structural',
    role: 'concat',
    name,
    layerName: name,
    className: 'Concatenate',
    inputs,
    apply: (xs) => tf.concat(xs, axis),
    propagate: (r, xs) => {
      const a = axis < 0 ? r.rank + axis : axis;
      return tf.split(
        r,
        xs.map((x) => x.shape[a]),
        a,
      );
    },
  });
};
