import * as tf from '@tensorflow/tfjs';
import type { LayerAdapter } from '../graph/builder';
import { applyLayer, config, layerError } from './util';

/**
 * ChannelAffine (from @lrpjs/models, read by class name and config): `y[..., c] =
 * x[..., permutation[c]] · scale[c] + offset[c]`. Relevance passes through with the permutation undone
 * (output channel c gives its relevance to input channel permutation[c]); z^B bounds are mapped through.
 */
export const channelAffineAdapter: LayerAdapter = (layer, inputs, builder, name) => {
  const cfg = config(layer);
  const scale = cfg.scale as number[] | undefined;
  const permutation = cfg.permutation as number[] | undefined | null;
  if (!Array.isArray(scale)) throw layerError(name, layer, 'has no scale array in its config.');
  return builder.add({
    kind: 'structural',
    role: 'preprocess',
    name,
    layerName: name,
    className: 'ChannelAffine',
    inputs,
    apply: ([x]) => applyLayer(layer, x),
    propagate: (r, [x]) => {
      if (permutation == null) return [r];
      const cin = x.shape[x.rank - 1];
      const cout = permutation.length;
      // Output channel c read input channel permutation[c]: a 0/1 matrix sends relevance back, summing
      // where several outputs read the same input.
      const back = new Float32Array(cout * cin);
      permutation.forEach((j, c) => (back[c * cin + j] = 1));
      const flat = tf.matMul(tf.reshape(r, [-1, cout]), tf.tensor2d(back, [cout, cin]));
      return [tf.reshape(flat, [...r.shape.slice(0, -1), cin])];
    },
  });
};
