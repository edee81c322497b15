import type { Canonizer } from './types';
import { splitActivations } from './split-activations';
import { foldBatchNorm } from './fold-batch-norm';

export type { Canonizer } from './types';
export { splitActivations } from './split-activations';
export { foldBatchNorm } from './fold-batch-norm';
export { mapInputBounds } from './input-bounds';

/** Canonizers every composite runs unless it lists its own: split fused activations, fold BatchNorm. */
export function defaultCanonizers(): Canonizer[] {
  return [splitActivations(), foldBatchNorm()];
}
