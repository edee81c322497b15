import * as tf from '@tensorflow/tfjs';
import type { Rule, Stabilizer } from './types';
import { ruleKey } from './types';
import { stabilize } from './stabilizer';

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
  const key = ruleKey('alphabeta');
  return {
    name: beta === 0 && alpha === 1 ? 'zplus' : `alpha${alpha}beta${beta}`,
    relevance(ctx, relevance) {
      if (ctx.ownParams === null) {
        const z = ctx.forward(ctx.input, null, stabilizer);
        return tf.mul(ctx.repeat(ctx.input), ctx.backward(tf.div(relevance, ctx.repeat(z)), null));
      }
      const wPos = ctx.params(`${key}+`, (p) => tf.relu(p))!;
      const wNeg = ctx.params(`${key}-`, (p) => tf.minimum(p, 0))!;
      const wPosNoBias = ctx.params(`${key}+0`, (p, name) => (name === 'bias' ? null : tf.relu(p)))!;
      const wNegNoBias = ctx.params(`${key}-0`, (p, name) => (name === 'bias' ? null : tf.minimum(p, 0)))!;
      const aPos = tf.relu(ctx.input);
      // After a ReLU there are no negative inputs: half the terms vanish.
      const aNeg = ctx.layer.inputNonNegative ? null : tf.minimum(ctx.input, 0);
      const part = (sign: 1 | -1) => {
        const [wa, wb, wbNoBias] = sign === 1 ? [wPos, wNeg, wNegNoBias] : [wNeg, wPos, wPosNoBias];
        let z = ctx.forward(aPos, wa);
        if (aNeg) z = tf.add(z, ctx.forward(aNeg, wbNoBias));
        const s = tf.div(relevance, ctx.repeat(stabilize(z, stabilizer)));
        const [ca, cb] = aNeg ? ctx.backwardMany(s, [wa, wb]) : [ctx.backward(s, wa), null];
        const r = tf.mul(ctx.repeat(aPos), ca);
        return aNeg && cb ? tf.add(r, tf.mul(ctx.repeat(aNeg), cb)) : r;
      };
      const positive = part(1);
      return beta === 0
        ? alpha === 1
          ? positive
          : tf.mul(positive, alpha)
        : tf.sub(tf.mul(positive, alpha), tf.mul(part(-1), beta));
    },
  };
}

/** z⁺ = α1β0. */
export function zPlus(options: { stabilizer?: Stabilizer } = {}): Rule {
  return alphaBeta({ alpha: 1, beta: 0, ...options });
}
