import * as tf from '@tensorflow/tfjs';
import { checkBatch, forwardOf, type Forward } from './model';
import { resolveTarget } from './targets';
import type { AttributionModel, AttributionOptions, AttributionResult } from './types';

/** Default rows per forward/backward pass. */
export const DEFAULT_BATCH_SIZE = 256;

/** ∂(Σ_k f_k(x)·mask_k)/∂x for one batch (call inside tf.tidy). */
export function targetGradient(forward: Forward, x: tf.Tensor, mask: tf.Tensor2D): tf.Tensor {
  try {
    return tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(forward(xi), mask)))(x);
  } catch (e) {
    const missing = /Kernel '(\w+)' not registered for backend '(\w+)'/.exec((e as Error).message);
    if (!missing) throw e;
    throw new Error(
      `attribution: the ${missing[2]} backend has no ${missing[1]} kernel, which the gradient needs; ` +
        "on wasm call @lrpjs/models' registerWasmKernels() (selectBackend does), or use the cpu or tensorflow backend.",
    );
  }
}

/** Everything a method needs before its own work: forward function, logits, resolved target. */
export interface Prepared {
  forward: Forward;
  output: tf.Tensor2D;
  classes: Int32Array;
  mask: tf.Tensor2D;
  batchSize: number;
  /** Disposes `mask` (not `output`, which goes into the result). */
  release(): void;
}

export function prepare(model: AttributionModel, x: tf.Tensor4D, options: AttributionOptions, where: string): Prepared {
  checkBatch(x, where);
  if (!options || options.target === undefined) {
    throw new Error(`${where}(model, x, { target }) needs a target: class index(es), a [N, K] tensor or 'predicted'.`);
  }
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`${where}: batchSize must be an integer ≥ 1, got ${batchSize}.`);
  }
  const forward = forwardOf(model);
  const output = tf.tidy(() => forward(x));
  if (!(output.dataSync() as Float32Array).every(Number.isFinite)) {
    output.dispose();
    throw new Error(`${where}: the model output has NaN or infinite values; check the weights and the input.`);
  }
  let resolved;
  try {
    resolved = resolveTarget(options.target, output, where);
  } catch (e) {
    output.dispose();
    throw e;
  }
  const { classes, mask } = resolved;
  return { forward, output, classes, mask, batchSize, release: () => mask.dispose() };
}

/** Packs a relevance tensor into the shared result type. */
export function result(relevance: tf.Tensor, p: Prepared): AttributionResult {
  return {
    relevance: relevance as tf.Tensor4D,
    output: p.output,
    targets: p.classes,
    targetsPerImage: 1,
    conditionsPerImage: 1,
  };
}

/**
 * Gradient summed over `copies` perturbed versions of a batch of N images, `perturb(j)` making copy j
 * (`[N, …]`); copies are stacked into passes of at most `batchSize` rows. Returns Σ_j w_j ∂f/∂x(copy j).
 */
export function accumulatedGradient(
  forward: Forward,
  n: number,
  mask: tf.Tensor2D,
  copies: number,
  batchSize: number,
  perturb: (j: number) => tf.Tensor,
  weight: (j: number) => number = () => 1,
): tf.Tensor {
  const perPass = Math.max(1, Math.floor(batchSize / n));
  let total: tf.Tensor | null = null;
  for (let start = 0; start < copies; start += perPass) {
    const count = Math.min(perPass, copies - start);
    const next: tf.Tensor = tf.tidy(() => {
      const idx = Array.from({ length: count }, (_, i) => start + i);
      const batch = tf.concat(idx.map(perturb), 0);
      const g = targetGradient(forward, batch, tf.tile(mask, [count, 1]) as tf.Tensor2D);
      const w = tf.tensor1d(idx.map(weight));
      const shaped = tf.reshape(g, [count, n, ...g.shape.slice(1)]);
      const weighted = tf.sum(tf.mul(shaped, tf.reshape(w, [count, ...shaped.shape.slice(1).map(() => 1)])), 0);
      return total ? tf.add(total, weighted) : weighted;
    });
    total?.dispose();
    total = next;
  }
  return total!;
}
