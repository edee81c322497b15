import * as tf from '@tensorflow/tfjs';
import { prepare, result } from '../grad';
import type { AttributionModel, AttributionOptions, AttributionResult } from '../types';

export interface RandomOptions extends AttributionOptions {
  /** Default 0. */
  seed?: number;
}

/** Uniform noise as "relevance": the reference every faithful method must beat (SRG ≈ 0). */
export function randomAttribution(model: AttributionModel, x: tf.Tensor4D, options: RandomOptions): AttributionResult {
  const p = prepare(model, x, options, 'randomAttribution');
  try {
    return result(tf.randomUniform(x.shape, -1, 1, 'float32', options.seed ?? 0), p);
  } finally {
    p.release();
  }
}
