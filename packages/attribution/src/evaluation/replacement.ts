import * as tf from '@tensorflow/tfjs';
import { gaussianBlur } from '../ops/blur';

/**
 * What a perturbed region is replaced by: each image's channel mean, a Gaussian-blurred copy, uniform
 * noise between the image's min and max, the mean of the pixels bordering the region in the original
 * image ("inpainting by neighbours"), or a constant.
 */
export type Replacement = 'mean' | 'blur' | 'uniform' | 'inpaint' | number;

export interface ReplacementOptions {
  /** Region side (for 'inpaint'). */
  patch: number;
  /** Blur radius for 'blur'. */
  blurSigma: number;
  seed: number;
}

/** The fully replaced images `[N, H, W, C]` (every pixel its replacement value). The caller disposes it. */
export function replacementImages(x: tf.Tensor4D, replacement: Replacement, o: ReplacementOptions): tf.Tensor4D {
  if (typeof replacement === 'number') {
    if (!Number.isFinite(replacement))
      throw new Error(`pixelFlipping: replacement value must be finite, got ${replacement}.`);
    return tf.fill(x.shape, replacement) as tf.Tensor4D;
  }
  if (replacement === 'mean') return tf.tidy(() => tf.add(tf.zerosLike(x), tf.mean(x, [1, 2], true)));
  if (replacement === 'blur') return tf.tidy(() => gaussianBlur(x, o.blurSigma));
  if (replacement === 'uniform') {
    return tf.tidy(() => {
      const n = x.shape[0];
      const flat = tf.reshape(x, [n, -1]);
      const lo = tf.reshape(tf.min(flat, 1), [n, 1, 1, 1]);
      const hi = tf.reshape(tf.max(flat, 1), [n, 1, 1, 1]);
      return tf.add(lo, tf.mul(tf.randomUniform(x.shape, 0, 1, 'float32', o.seed), tf.sub(hi, lo)));
    });
  }
  if (replacement === 'inpaint') return inpaintByNeighbours(x, o.patch);
  throw new Error(
    `pixelFlipping: replacement must be 'mean', 'blur', 'uniform', 'inpaint' or a number, got '${String(replacement)}'.`,
  );
}

/** Each patch×patch region filled with the mean of the one-pixel ring around it (inside the image). */
function inpaintByNeighbours(x: tf.Tensor4D, patch: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const src = x.dataSync() as Float32Array;
  const out = new Float32Array(src.length);
  for (let i = 0; i < n; i++) {
    for (let y0 = 0; y0 < h; y0 += patch) {
      for (let x0 = 0; x0 < w; x0 += patch) {
        const y1 = Math.min(h, y0 + patch);
        const x1 = Math.min(w, x0 + patch);
        const sums = new Float64Array(c);
        let count = 0;
        for (let y = y0 - 1; y <= y1; y++) {
          for (let xx = x0 - 1; xx <= x1; xx++) {
            const ring = y === y0 - 1 || y === y1 || xx === x0 - 1 || xx === x1;
            if (!ring || y < 0 || y >= h || xx < 0 || xx >= w) continue;
            const base = ((i * h + y) * w + xx) * c;
            for (let k = 0; k < c; k++) sums[k] += src[base + k];
            count++;
          }
        }
        for (let y = y0; y < y1; y++)
          for (let xx = x0; xx < x1; xx++) {
            const base = ((i * h + y) * w + xx) * c;
            for (let k = 0; k < c; k++) out[base + k] = count > 0 ? sums[k] / count : src[base + k];
          }
      }
    }
  }
  return tf.tensor4d(out, x.shape);
}
