import * as tf from '@tensorflow/tfjs';
import { createRng } from '../src';

/**
 * A tiny, learnable classification set: class k has a bright square in channel k (position jittered)
 * over uniform noise, on the tutorial's input scale [−1.5, 1.5].
 */
export function syntheticFaces(n: number, size = 16, classes = 3, seed = 1): { x: tf.Tensor4D; y: Int32Array } {
  const rng = createRng(seed);
  const data = new Float32Array(n * size * size * 3);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = i % classes;
    y[i] = k;
    const r0 = 2 + rng.int(size / 2 - 2);
    const c0 = 2 + rng.int(size / 2 - 2);
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        for (let ch = 0; ch < 3; ch++) {
          const inside = r >= r0 && r < r0 + size / 2 && c >= c0 && c < c0 + size / 2 && ch === k % 3;
          data[((i * size + r) * size + c) * 3 + ch] = (inside ? 0.9 : rng.uniform(0, 0.4)) * 3 - 1.5;
        }
      }
    }
  }
  return { x: tf.tensor4d(data, [n, size, size, 3]), y };
}
