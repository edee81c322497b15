import type * as tf from '@tensorflow/tfjs';
import type { ExplainResult } from '@lrpjs/lrp';

/**
 * A model the attribution methods can differentiate: a LayersModel (through `apply`), a GraphModel
 * (through `execute`), or any function from an input batch to logits `[N, classes]`.
 */
export type AttributionModel = tf.LayersModel | tf.GraphModel | ((x: tf.Tensor) => tf.Tensor);

/**
 * What to explain, per image: a class index for every image, one index per image, a `[N, classes]`
 * weighting of the outputs (one-hot or any), or 'predicted' (the arg-max of each image).
 */
export type AttributionTarget = number | number[] | tf.Tensor | 'predicted';

/** Options every method takes. */
export interface AttributionOptions {
  target: AttributionTarget;
  /**
   * Most rows one forward/backward pass sees (methods that evaluate many perturbed copies of the
   * input split them into chunks of this size, so memory stays bounded). Default 256.
   */
  batchSize?: number;
}

/**
 * The result of every method: {@link ExplainResult} of @lrpjs/lrp, so LRP and the baselines are
 * interchangeable downstream. `relevance` has the input's shape; the caller disposes the tensors.
 */
export type AttributionResult<T extends tf.Tensor = tf.Tensor4D> = ExplainResult<T>;

/** A method with `explain`'s call shape. */
export type AttributionMethod = (
  model: AttributionModel,
  x: tf.Tensor4D,
  options: AttributionOptions,
) => AttributionResult;
