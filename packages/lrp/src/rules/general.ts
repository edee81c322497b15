import * as tf from '@tensorflow/tfjs';
import type { ParamModifier, Rule, Stabilizer } from './types';
import { ruleKey } from './types';

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
 * R_j = Σ_k a_j ρ(w_jk) / (ε + Σ_0,j a_j ρ(w_jk)) R_k, computed in its four steps.
 * On pooling layers ρ has nothing to act on: max pooling becomes winner-take-all, average pooling
 * proportional to the inputs.
 */
export function generalRule(options: GeneralRuleOptions = {}): Rule {
  const { rho, stabilizer = 1e-9, name = 'general' } = options;
  const key = ruleKey(name);
  return {
    name,
    relevance(ctx, relevance) {
      const params = rho ? ctx.params(key, rho) : ctx.ownParams;
      const z = ctx.forward(ctx.input, params, stabilizer); // step 1: z_k = ε + Σ_j a_j ρ(w_jk)
      const s = tf.div(relevance, ctx.repeat(z)); // step 2: s_k = R_k / z_k
      const c = ctx.backward(s, params); // step 3: c_j = Σ_k ρ(w_jk) s_k
      return tf.mul(ctx.repeat(ctx.input), c); // step 4: R_j = a_j c_j
    },
  };
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
  /** γ. Default 0.25, the tutorial's. */
  gamma?: number;
  /** Default 1e-9 (plain), the tutorial's. */
  stabilizer?: Stabilizer;
}

/**
 * LRP-γ: ρ(w) = w + γ·w⁺ on the weights and the bias, as the tutorial does (favours positive
 * contributions; γ = 0 is LRP-0).
 */
export function gamma(options: GammaOptions = {}): Rule {
  const { gamma: g = 0.25, stabilizer = 1e-9 } = options;
  return generalRule({
    name: `gamma(${g})`,
    rho: (p) => tf.add(p, tf.mul(tf.relu(p), g)),
    stabilizer,
  });
}
