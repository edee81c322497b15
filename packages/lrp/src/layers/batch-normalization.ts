import * as tf from '@tensorflow/tfjs';
import type { LayerAdapter } from '../graph/builder';
import { config, layerError, weight } from './util';

/**
 * BatchNormalization in inference form `y = x·scale + shift`. It must be folded into a neighbouring
 * Conv2D/Dense by the foldBatchNorm canonizer; rules never see it.
 */
export const batchNormalizationAdapter: LayerAdapter = (layer, inputs, builder, name) => {
  const cfg = config(layer);
  const axis = Number(cfg.axis ?? -1);
  const rank = layer.inputSpec?.[0]?.ndim ?? (layer as unknown as { input: { rank: number } }).input?.rank;
  if (axis !== -1 && (rank === undefined || axis !== rank - 1)) {
    throw layerError(
      name,
      layer,
      `normalizes axis ${axis}; LRP folds BatchNormalization on the last (channel) axis only.`,
    );
  }
  const mean = weight(layer, 'moving_mean', 'movingMean');
  const variance = weight(layer, 'moving_variance', 'movingVariance');
  if (mean === null || variance === null)
    throw layerError(name, layer, 'has no moving statistics; build the model first.');
  const gamma = weight(layer, 'gamma');
  const beta = weight(layer, 'beta');
  const epsilon = Number(cfg.epsilon ?? 1e-3);
  const scale = builder.own(
    tf.tidy(() => {
      const inv = tf.rsqrt(tf.add(variance, epsilon));
      return (gamma ? tf.mul(gamma, inv) : inv) as tf.Tensor1D;
    }),
  );
  const shift = builder.own(
    tf.tidy(() => {
      const s = tf.neg(tf.mul(mean, scale));
      return (beta ? tf.add(s, beta) : s) as tf.Tensor1D;
    }),
  );
  return builder.add({
    kind: 'batchnorm',
    name,
    layerName: name,
    className: 'BatchNormalization',
    inputs,
    scale,
    shift,
  });
};
