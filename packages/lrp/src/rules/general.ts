import * as tf from '@tensorflow/tfjs';
import type { ParamModifier, Rule, Stabilizer } from './types';
import { stabilize } from './stabilizer';
import { basicRule, inputModifiers, paramModifiers, sumOfProducts, sumPresent } from './basic';

/** Options of {@link generalRule}. */
export interface GeneralRuleOptions {
  /** ρ applied to the kernel and the bias. Default: identity (LRP-0 / ε). */
  rho?: ParamModifier;
  /** The increment of step 1. Default: 1e-9, the tutorial's `incr(z) = z + 1e-9`. */
  stabilizer?: Stabilizer;
  /** Name shown in errors and descriptions. Default 'general'. */
  name?: string;
}

/**
 * The general rule of the tutorial (LRP overview, §10.2.2):
 * R_j = Σ_k a_j ρ(w_jk) / (ε + Σ_0,j a_j ρ(w_jk)) R_k, i.e. one {@link basicRule} term: z = incr(ρ-layer(a)),
 * s = R / z, c = ρ(W)ᵀ s, R = a · c. On pooling layers ρ has nothing to act on: max pooling becomes
 * winner-take-all, average pooling proportional to the inputs.
 */
export function generalRule(options: GeneralRuleOptions = {}): Rule {
  const { rho, stabilizer = 1e-9, name = 'general' } = options;
  return basicRule({
    name,
    terms: [{ params: rho, stabilizer }],
    gradientMapper: (relevance, [z]) => [tf.div(relevance, z!)],
    reducer: (xs, cs) => sumOfProducts(xs, cs),
  });
}

/** LRP-0 (with the tutorial's +1e-9 so that z is never exactly 0). */
export function lrp0(options: { stabilizer?: Stabilizer } = {}): Rule {
  return generalRule({ name: 'lrp0', stabilizer: options.stabilizer ?? 1e-9 });
}

/** Options of {@link epsilon}. */
export interface EpsilonOptions {
  /** ε. Default 1e-6 (zennit's default). */
  epsilon?: number;
  /**
   * 'plain': z + ε, the tutorial's increment (default). 'sign': z + ε·sign(z), zennit's stabilizer,
   * which pushes z away from 0 whatever its sign.
   */
  mode?: 'plain' | 'sign';
}

/** LRP-ε: absorbs weak or contradictory relevance into ε. */
export function epsilon(options: EpsilonOptions = {}): Rule {
  const { epsilon: eps = 1e-6, mode = 'plain' } = options;
  return generalRule({ name: `epsilon(${eps}${mode === 'sign' ? ', sign' : ''})`, stabilizer: { epsilon: eps, mode } });
}

/** Options of {@link gamma}. */
export interface GammaOptions {
  /** γ. Default 0.25. */
  gamma?: number;
  /**
   * 'sign-aware' (default, zennit's generalized γ): where the output z is positive, ρ(w) = w + γw⁺ (with
   * w + γw⁻ for negative inputs); where z is negative, ρ(w) = w + γw⁻ (w + γw⁺ for negative inputs); so
   * the denominator keeps the sign of z and the rule stays stable behind residual sums.
   * 'tutorial': ρ(w) = w + γw⁺ for every output, on weights and bias, as the tutorial (equal to
   * 'sign-aware' for inputs ≥ 0 and outputs > 0).
   */
  form?: 'sign-aware' | 'tutorial';
  /** Default ±1e-6 (sign-aware, zennit's) for the sign-aware form, +1e-9 (the tutorial's) for the tutorial form. */
  stabilizer?: Stabilizer;
}

/** LRP-γ: favours positive contributions (γ = 0 is LRP-0). */
export function gamma(options: GammaOptions = {}): Rule {
  const { gamma: g = 0.25, form = 'sign-aware' } = options;
  if (!(g >= 0)) throw new Error(`lrp: gamma needs γ ≥ 0 (got ${g}), e.g. 0.25.`);
  if (form === 'tutorial') {
    return generalRule({
      name: `gamma(${g}, tutorial)`,
      rho: paramModifiers.gamma(g, 1).modify,
      stabilizer: options.stabilizer ?? 1e-9,
    });
  }
  const stabilizer = options.stabilizer ?? { epsilon: 1e-6, mode: 'sign' as const };
  const up = paramModifiers.gamma(g, 1);
  const down = paramModifiers.gamma(g, -1);
  return basicRule({
    name: `gamma(${g})`,
    terms: [
      { input: inputModifiers.positive, params: up },
      { input: inputModifiers.negative, params: down, bias: false },
      { input: inputModifiers.positive, params: down },
      { input: inputModifiers.negative, params: up, bias: false },
      {}, // z itself: which outputs are positive
    ],
    gradientMapper(relevance, [p1, p2, n1, n2, z]) {
      const positive = tf.div(
        tf.mul(relevance, tf.cast(tf.greater(z!, 0), 'float32')),
        stabilize(sumPresent(p1, p2)!, stabilizer),
      );
      const negative = tf.div(
        tf.mul(relevance, tf.cast(tf.less(z!, 0), 'float32')),
        stabilize(sumPresent(n1, n2)!, stabilizer),
      );
      return [positive, positive, negative, negative, null];
    },
    reducer: (xs, cs) => sumOfProducts(xs.slice(0, 4), cs.slice(0, 4)),
  });
}
