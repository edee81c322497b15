import * as tf from '@tensorflow/tfjs';
import { accumulatedGradient, prepare, result } from '../grad';
import { checkCount } from '../model';
import type { AttributionModel, AttributionOptions, AttributionResult } from '../types';

export interface SmoothGradOptions extends AttributionOptions {
  /** Noisy copies per image. Default 20. */
  samples?: number;
  /** Noise standard deviation as a fraction of each image's value range (max − min). Default 0.1. */
  noiseLevel?: number;
  /**
   * The noise itself, `[samples, N, H, W, C]` (overrides samples and noiseLevel; for reproducing a
   * reference exactly). Not disposed.
   */
  noise?: tf.Tensor;
  /** Seed of the Gaussian noise. Default 0. */
  seed?: number;
}

/**
 * SmoothGrad (Smilkov et al. 2017): the gradient averaged over copies of the input with Gaussian noise
 * added, which removes the gradient's high-frequency shattering. Copies run `batchSize` rows at a time.
 */
export function smoothGrad(model: AttributionModel, x: tf.Tensor4D, options: SmoothGradOptions): AttributionResult {
  const noise = options.noise;
  const n = x.shape[0];
  if (
    noise &&
    (noise.rank !== 5 || noise.shape[1] !== n || !noise.shape.slice(2).every((d, i) => d === x.shape[i + 1]))
  ) {
    throw new Error(
      `smoothGrad: noise must have shape [samples, ${x.shape.join(', ')}], got [${noise.shape.join(', ')}].`,
    );
  }
  const samples = noise ? noise.shape[0] : checkCount(options.samples ?? 20, 'samples', 'smoothGrad');
  const level = options.noiseLevel ?? 0.1;
  if (!(level >= 0)) throw new Error(`smoothGrad: noiseLevel must be ≥ 0, got ${level}.`);
  const seed = options.seed ?? 0;
  const p = prepare(model, x, options, 'smoothGrad');
  try {
    const sigma = tf.tidy(() => {
      const flat = tf.reshape(x, [n, -1]);
      return tf.reshape(tf.mul(tf.sub(tf.max(flat, 1), tf.min(flat, 1)), level), [n, 1, 1, 1]);
    });
    const g = tf.tidy(() =>
      accumulatedGradient(
        p.forward,
        n,
        p.mask,
        samples,
        p.batchSize,
        (j) =>
          noise
            ? tf.add(x, tf.squeeze(tf.slice(noise, j, 1), [0]))
            : tf.add(x, tf.mul(tf.randomNormal(x.shape, 0, 1, 'float32', seed + j), sigma)),
        () => 1 / samples,
      ),
    );
    sigma.dispose();
    return result(g, p);
  } finally {
    p.release();
  }
}
