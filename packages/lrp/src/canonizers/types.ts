import type * as tf from '@tensorflow/tfjs';
import type { Graph } from '../graph/types';

/**
 * Rewrites a model graph into an equivalent one that rules can handle (zennit's canonizers). Tensors a
 * canonizer creates must be passed through `keep`, which ties them to the cache entry that frees them.
 */
export interface Canonizer {
  readonly name: string;
  apply(graph: Graph, keep: <T extends tf.Tensor>(t: T) => T): Graph;
}
