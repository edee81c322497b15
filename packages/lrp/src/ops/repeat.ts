import * as tf from '@tensorflow/tfjs';

/**
 * A batch of N rows stacked `repeats` times, target-major: [a, b] → [a, b, a, b] for 2 repeats (row
 * j·N + i is image i for target j). A concat: on wasm gather and tile copy far slower.
 */
export function repeatRows<T extends tf.Tensor>(t: T, repeats: number): T {
  if (repeats === 1) return t;
  return tf.concat(new Array<T>(repeats).fill(t), 0) as T;
}
