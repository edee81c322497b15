import * as tf from '@tensorflow/tfjs';
import { accumulatedGradient, prepare, result } from '../grad';
import type { AttributionModel, AttributionOptions, AttributionResult } from '../types';

/**
 * The gradient of the target logit with respect to the input (Simonyan et al. 2014's saliency,
 * signed). One forward and one backward pass per chunk of `batchSize` images.
 */
export function gradient(model: AttributionModel, x: tf.Tensor4D, options: AttributionOptions): AttributionResult {
  const p = prepare(model, x, options, 'gradient');
  try {
    const n = x.shape[0];
    const rows = Math.min(n, p.batchSize);
    const parts: tf.Tensor[] = [];
    for (let s = 0; s < n; s += rows) {
      const len = Math.min(rows, n - s);
      parts.push(
        tf.tidy(() =>
          accumulatedGradient(p.forward, len, tf.slice(p.mask, s, len), 1, p.batchSize, () => tf.slice(x, s, len)),
        ),
      );
    }
    const g = parts.length === 1 ? parts[0] : tf.concat(parts, 0);
    if (parts.length > 1) tf.dispose(parts);
    return result(g, p);
  } finally {
    p.release();
  }
}

/** Gradient × Input: the first-order Taylor contribution of each input; exact for linear models without bias. */
export function inputXGradient(
  model: AttributionModel,
  x: tf.Tensor4D,
  options: AttributionOptions,
): AttributionResult {
  const r = gradient(model, x, options);
  const relevance = tf.tidy(() => tf.mul(r.relevance, x)) as tf.Tensor4D;
  r.relevance.dispose();
  return { ...r, relevance };
}
