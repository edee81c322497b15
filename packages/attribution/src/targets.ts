import * as tf from '@tensorflow/tfjs';
import type { AttributionTarget } from './types';

/** Targets resolved against the model's outputs: the class per image and the output weighting. */
export interface ResolvedTarget {
  classes: Int32Array;
  /** `[N, K]`: the attribution explains Σ_k f_k(x)·mask_k. Owned by the caller. */
  mask: tf.Tensor2D;
}

/** Resolves `target` for outputs `logits` `[N, K]` (read once on the JS side). */
export function resolveTarget(target: AttributionTarget, logits: tf.Tensor2D, where: string): ResolvedTarget {
  const [n, k] = logits.shape;
  const check = (t: number, i: number) => {
    if (!Number.isInteger(t) || t < 0 || t >= k) {
      throw new Error(`${where}: target ${t} (image ${i}) is out of range; the model has ${k} outputs (0..${k - 1}).`);
    }
    return t;
  };
  let classes: Int32Array;
  if (target === 'predicted') {
    classes = Int32Array.from(tf.tidy(() => tf.argMax(logits, 1).dataSync()));
  } else if (typeof target === 'number') {
    classes = new Int32Array(n).fill(check(target, 0));
  } else if (target instanceof tf.Tensor) {
    if (target.rank !== 2 || target.shape[0] !== n || target.shape[1] !== k) {
      throw new Error(`${where}: a target tensor must have shape [${n},${k}], got [${target.shape.join(',')}].`);
    }
    const rows = Int32Array.from(tf.tidy(() => tf.argMax(target, 1).dataSync()));
    return { classes: rows, mask: tf.cast(target, 'float32') as tf.Tensor2D };
  } else if (Array.isArray(target) && target.length === n && target.every((t) => typeof t === 'number')) {
    classes = Int32Array.from(target, check);
  } else {
    throw new Error(
      `${where}: target must be a class index, one index per image (${n}), a [${n},${k}] tensor or 'predicted'.`,
    );
  }
  const m = new Float32Array(n * k);
  classes.forEach((c, i) => (m[i * k + c] = 1));
  return { classes, mask: tf.tensor2d(m, [n, k]) };
}
