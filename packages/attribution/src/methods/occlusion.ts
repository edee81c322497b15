import * as tf from '@tensorflow/tfjs';
import { prepare, result } from '../grad';
import { checkCount } from '../model';
import type { AttributionModel, AttributionOptions, AttributionResult } from '../types';

export interface OcclusionOptions extends AttributionOptions {
  /** Side of the square patch, in pixels. Default 8. */
  patch?: number;
  /** Step between patch positions. Default patch / 2. */
  stride?: number;
  /** Value written into the patch (all channels). Default 0 (the mean of the tutorial's normalised inputs). */
  fill?: number;
}

/** Top-left corners of the windows along one axis (as Captum: ⌊(size − patch)/stride⌋ + 1 of them). */
function corners(size: number, patch: number, stride: number): number[] {
  const out: number[] = [];
  for (let s = 0; s + patch <= size; s += stride) out.push(s);
  return out;
}

/**
 * Occlusion (Zeiler & Fergus 2014): the drop of the target logit when a patch is replaced by `fill`,
 * averaged for each pixel over the windows covering it (uncovered pixels get 0). All windows of all
 * images run `batchSize` rows per forward pass. `relevance` spreads the value evenly over the channels.
 */
export function occlusion(model: AttributionModel, x: tf.Tensor4D, options: OcclusionOptions): AttributionResult {
  const [n, h, w, c] = x.shape;
  const patch = checkCount(options.patch ?? 8, 'patch', 'occlusion');
  const stride = checkCount(options.stride ?? Math.max(1, Math.floor(patch / 2)), 'stride', 'occlusion');
  if (patch > h || patch > w) throw new Error(`occlusion: patch ${patch} is larger than the image (${h}×${w}).`);
  const fill = options.fill ?? 0;
  const p = prepare(model, x, options, 'occlusion');
  try {
    const windows: [number, number][] = [];
    for (const y of corners(h, patch, stride)) for (const xx of corners(w, patch, stride)) windows.push([y, xx]);
    const m = new Float32Array(windows.length * h * w);
    const count = new Float32Array(h * w);
    windows.forEach(([y0, x0], k) => {
      for (let y = y0; y < y0 + patch; y++)
        for (let xx = x0; xx < x0 + patch; xx++) {
          m[k * h * w + y * w + xx] = 1;
          count[y * w + xx] += 1;
        }
    });
    const masks = tf.tensor4d(m, [windows.length, h, w, 1]);
    const fx = tf.tidy(() => tf.sum(tf.mul(p.output, p.mask), 1));
    // Rows are (image, window) pairs, image-major; each pass takes whole windows of one image range.
    const drops = new Float32Array(n * windows.length);
    const perPass = Math.max(1, p.batchSize);
    for (let start = 0; start < n * windows.length; start += perPass) {
      const len = Math.min(perPass, n * windows.length - start);
      const values = tf.tidy(() => {
        const idx = Array.from({ length: len }, (_, i) => start + i);
        const img = tf.tensor1d(
          idx.map((r) => Math.floor(r / windows.length)),
          'int32',
        );
        const win = tf.tensor1d(
          idx.map((r) => r % windows.length),
          'int32',
        );
        const mk = tf.gather(masks, win);
        const occluded = tf.add(tf.mul(tf.gather(x, img), tf.sub(1, mk)), tf.mul(mk, fill));
        const y = tf.sum(tf.mul(p.forward(occluded), tf.gather(p.mask, img)), 1);
        return tf.sub(tf.gather(fx, img), y).dataSync() as Float32Array;
      });
      drops.set(values, start);
    }
    const relevance = tf.tidy(() => {
      const d = tf.tensor2d(drops, [n, windows.length]);
      const summed = tf.matMul(d, tf.reshape(masks, [windows.length, h * w]));
      const safe = tf.tensor1d(count.map((v) => (v > 0 ? 1 / v : 0)));
      const perPixel = tf.reshape(tf.mul(summed, safe), [n, h, w, 1]);
      return tf.div(tf.tile(perPixel, [1, 1, 1, c]), c);
    });
    tf.dispose([masks, fx]);
    return result(relevance, p);
  } finally {
    p.release();
  }
}
