import * as tf from '@tensorflow/tfjs';
import { accumulatedGradient, prepare, result } from '../grad';
import { checkCount } from '../model';
import { gaussianBlur } from '../ops/blur';
import type { AttributionModel, AttributionOptions, AttributionResult } from '../types';

/** The reference input integrated from: all zeros, a blurred copy, uniform noise, or a given tensor. */
export type Baseline = 'zeros' | 'blur' | 'uniform' | tf.Tensor;

/** Where on the path the gradient is sampled: α_j = (j+1)/m, (j+½)/m, or the trapezoid rule on j/(m−1). */
export type IntegrationRule = 'riemann-right' | 'riemann-middle' | 'trapezoid';

export interface IntegratedGradientsOptions extends AttributionOptions {
  /** Points on the path. Default 32. */
  steps?: number;
  /** Default 'zeros'. */
  baseline?: Baseline;
  /** Default 'riemann-middle' (second-order accurate; zennit and Captum's riemann_right is 'riemann-right'). */
  rule?: IntegrationRule;
  /** Blur of the 'blur' baseline, in pixels. Default 5. */
  blurSigma?: number;
  /** Seed of the 'uniform' baseline (drawn between each image's min and max). Default 0. */
  seed?: number;
}

/** How well the attribution sums to the output difference it explains (per image). */
export interface Completeness {
  /** Σ attribution. */
  attributionSum: Float32Array;
  /** f(x) − f(baseline) for the target. */
  outputDifference: Float32Array;
  /** attributionSum − outputDifference: shrinks with more steps. */
  gap: Float32Array;
}

export interface IntegratedGradientsResult extends AttributionResult {
  completeness: Completeness;
}

/** The path points and weights of `rule` with `m` steps. */
export function integrationPoints(m: number, rule: IntegrationRule): { alphas: number[]; weights: number[] } {
  if (rule === 'riemann-right') return { alphas: range(m, (j) => (j + 1) / m), weights: range(m, () => 1 / m) };
  if (rule === 'riemann-middle') return { alphas: range(m, (j) => (j + 0.5) / m), weights: range(m, () => 1 / m) };
  if (rule === 'trapezoid') {
    if (m < 2) throw new Error('integratedGradients: the trapezoid rule needs steps ≥ 2.');
    return {
      alphas: range(m, (j) => j / (m - 1)),
      weights: range(m, (j) => (j === 0 || j === m - 1 ? 0.5 : 1) / (m - 1)),
    };
  }
  throw new Error(`integratedGradients: rule must be riemann-right, riemann-middle or trapezoid, got '${rule}'.`);
}

function range(m: number, f: (j: number) => number): number[] {
  return Array.from({ length: m }, (_, j) => f(j));
}

/** The baseline tensor for `x` (call inside tf.tidy). */
export function makeBaseline(x: tf.Tensor4D, baseline: Baseline, blurSigma = 5, seed = 0): tf.Tensor4D {
  if (baseline instanceof tf.Tensor) {
    if (baseline.shape.join() === x.shape.join()) return tf.clone(baseline) as tf.Tensor4D;
    if (baseline.shape.join() === x.shape.slice(1).join()) return tf.broadcastTo(baseline, x.shape) as tf.Tensor4D;
    throw new Error(
      `integratedGradients: a baseline tensor must have the shape of x [${x.shape}] or of one image [${x.shape.slice(1)}], got [${baseline.shape}].`,
    );
  }
  if (baseline === 'zeros') return tf.zerosLike(x);
  if (baseline === 'blur') return gaussianBlur(x, blurSigma);
  if (baseline === 'uniform') {
    const n = x.shape[0];
    const flat = tf.reshape(x, [n, -1]);
    const lo = tf.reshape(tf.min(flat, 1), [n, 1, 1, 1]);
    const hi = tf.reshape(tf.max(flat, 1), [n, 1, 1, 1]);
    return tf.add(lo, tf.mul(tf.randomUniform(x.shape, 0, 1, 'float32', seed), tf.sub(hi, lo))) as tf.Tensor4D;
  }
  throw new Error(`integratedGradients: baseline must be 'zeros', 'blur', 'uniform' or a tensor, got '${baseline}'.`);
}

/**
 * Integrated Gradients (Sundararajan et al. 2017): (x − x̄) ⊙ ∫₀¹ ∂f/∂x(x̄ + α(x − x̄)) dα, the integral
 * by `rule` with `steps` points, the points stacked `batchSize` rows per pass so memory stays bounded
 * whatever the step count. The result carries the completeness gap Σ attr − (f(x) − f(x̄)).
 */
export function integratedGradients(
  model: AttributionModel,
  x: tf.Tensor4D,
  options: IntegratedGradientsOptions,
): IntegratedGradientsResult {
  const steps = checkCount(options.steps ?? 32, 'steps', 'integratedGradients');
  const { alphas, weights } = integrationPoints(steps, options.rule ?? 'riemann-middle');
  const p = prepare(model, x, options, 'integratedGradients');
  try {
    const base = tf.tidy(() => makeBaseline(x, options.baseline ?? 'zeros', options.blurSigma, options.seed));
    const relevance = tf.tidy(() => {
      const diff = tf.sub(x, base);
      const g = accumulatedGradient(
        p.forward,
        x.shape[0],
        p.mask,
        steps,
        p.batchSize,
        (j) => tf.add(base, tf.mul(diff, alphas[j])),
        (j) => weights[j],
      );
      return tf.mul(diff, g);
    });
    const [attributionSum, fBase, fx] = tf.tidy(() => [
      tf.sum(tf.reshape(relevance, [x.shape[0], -1]), 1).dataSync() as Float32Array,
      tf.sum(tf.mul(p.forward(base), p.mask), 1).dataSync() as Float32Array,
      tf.sum(tf.mul(p.output, p.mask), 1).dataSync() as Float32Array,
    ]);
    base.dispose();
    const outputDifference = fx.map((v, i) => v - fBase[i]);
    const gap = attributionSum.map((v, i) => v - outputDifference[i]);
    return { ...result(relevance, p), completeness: { attributionSum, outputDifference, gap } };
  } finally {
    p.release();
  }
}
