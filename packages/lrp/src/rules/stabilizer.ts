import * as tf from '@tensorflow/tfjs';
import type { Stabilizer } from './types';

/** z stabilized as the stabilizer says (see {@link Stabilizer}). */
export function stabilize(z: tf.Tensor, stabilizer: Stabilizer): tf.Tensor {
  if (typeof stabilizer === 'number') return tf.add(z, stabilizer);
  if (typeof stabilizer === 'function') return stabilizer(z);
  if (stabilizer.mode === 'plain') return tf.add(z, stabilizer.epsilon);
  return tf.where(tf.greaterEqual(z, 0), tf.add(z, stabilizer.epsilon), tf.sub(z, stabilizer.epsilon));
}

/** ε when the stabilizer is a plain increment (it can then be folded into the bias), else null. */
export function plainEpsilon(stabilizer: Stabilizer | undefined): number | null {
  if (typeof stabilizer === 'number') return stabilizer;
  if (stabilizer && typeof stabilizer === 'object' && stabilizer.mode === 'plain') return stabilizer.epsilon;
  return null;
}

export function describeStabilizer(stabilizer: Stabilizer): string {
  if (typeof stabilizer === 'number') return `+${stabilizer}`;
  if (typeof stabilizer === 'function') return 'custom';
  return stabilizer.mode === 'sign' ? `±${stabilizer.epsilon}` : `+${stabilizer.epsilon}`;
}
