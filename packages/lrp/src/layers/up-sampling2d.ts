import * as tf from '@tensorflow/tfjs';
import type { LayerAdapter } from '../graph/builder';
import { applyLayer, config, layerError, pair, requireChannelsLast } from './util';

/** UpSampling2D (nearest): each input pixel gets the relevance of the block of copies made from it. */
export const upSampling2dAdapter: LayerAdapter = (layer, inputs, builder, name) => {
  requireChannelsLast(name, layer);
  if ((config(layer).interpolation ?? 'nearest') !== 'nearest') {
    throw layerError(name, layer, "uses bilinear interpolation; LRP supports 'nearest'.");
  }
  const [sh, sw] = pair(config(layer).size, 2);
  return builder.add({
    kind: 'structural',
    role: 'reshape',
    name,
    layerName: name,
    className: 'UpSampling2D',
    inputs,
    apply: ([x]) => applyLayer(layer, x),
    propagate: (r, [x]) => {
      const [, h, w, c] = x.shape as number[];
      return [tf.sum(tf.reshape(r, [r.shape[0], h, sh, w, sw, c]), [2, 4])];
    },
  });
};
