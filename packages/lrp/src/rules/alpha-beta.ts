import * as tf from '@tensorflow/tfjs';
import type { Rule, Stabilizer } from './types';
import { stabilize } from './stabilizer';
import { basicRule, inputModifiers, paramModifiers, sumOfProducts, sumPresent } from './basic';
import { generalRule } from './general';

/** Options of {@link alphaBeta}. */
export interface AlphaBetaOptions {
  /** Weight of positive contributions. Default 1. */
  alpha?: number;
  /** Weight of negative contributions; α − β must be 1. Default 0. */
  beta?: number;
  /** Default ±1e-6 (zennit's sign-aware stabilizer). */
  stabilizer?: Stabilizer;
}

/**
 * LRP-αβ as zennit defines it (inputs of either sign): positive contributions a⁺w⁺ + a⁻w⁻ (+ b⁺) get
 * α, negative ones a⁺w⁻ + a⁻w⁺ (+ b⁻) get −β, each normalized by its own sum. α1β0 is z⁺.
 * On pooling layers (no weights) it reduces to LRP-0.
 */
export function alphaBeta(options: AlphaBetaOptions = {}): Rule {
  const { alpha = 1, beta = 0, stabilizer = { epsilon: 1e-6, mode: 'sign' } } = options;
  if (alpha < 0 || beta < 0 || Math.abs(alpha - beta - 1) > 1e-12) {
    throw new Error(`lrp: alphaBeta needs α, β ≥ 0 with α − β = 1 (got α=${alpha}, β=${beta}), e.g. α=2, β=1.`);
  }
  const name = beta === 0 && alpha === 1 ? 'zplus' : `alpha${alpha}beta${beta}`;
  const { positive: up, negative: down } = paramModifiers;
  const positiveTerms = [
    { input: inputModifiers.positive, params: up },
    { input: inputModifiers.negative, params: down, bias: false },
  ];
  const negativeTerms = [
    { input: inputModifiers.positive, params: down },
    { input: inputModifiers.negative, params: up, bias: false },
  ];
  const weighted = basicRule({
    name,
    // With β = 0 the negative part is never needed.
    terms: beta === 0 ? positiveTerms : [...positiveTerms, ...negativeTerms],
    gradientMapper(relevance, [p1, p2, n1, n2]) {
      const sp = tf.div(relevance, stabilize(sumPresent(p1, p2)!, stabilizer));
      if (beta === 0) return [sp, sp];
      const sn = tf.div(relevance, stabilize(sumPresent(n1, n2)!, stabilizer));
      return [sp, sp, sn, sn];
    },
    reducer(xs, cs) {
      const positive = sumOfProducts(xs.slice(0, 2), cs.slice(0, 2));
      const scaled = alpha === 1 ? positive : tf.mul(positive, alpha);
      return beta === 0 ? scaled : tf.sub(scaled, tf.mul(sumOfProducts(xs.slice(2), cs.slice(2)), beta));
    },
  });
  const pooling = generalRule({ name, stabilizer });
  return {
    name,
    relevance: (ctx, relevance) => (ctx.ownParams === null ? pooling : weighted).relevance(ctx, relevance),
  };
}

/** z⁺ = α1β0. */
export function zPlus(options: { stabilizer?: Stabilizer } = {}): Rule {
  return alphaBeta({ alpha: 1, beta: 0, ...options });
}
