import * as tf from '@tensorflow/tfjs';
import type { ParamModifier, Rule, Stabilizer } from './types';
import { ruleKey } from './types';
import { stabilize } from './stabilizer';

function inputFree(name: string, rho: ParamModifier, stabilizer: Stabilizer): Rule {
  const key = ruleKey(name);
  return {
    name,
    relevance(ctx, relevance) {
      const params = ctx.params(key, rho);
      // Inputs are replaced by ones, so z does not depend on the image: computed once.
      const z = ctx.constant(`${key}:z`, () =>
        stabilize(ctx.forward(tf.onesLike(tf.slice(ctx.input, 0, 1)), params), stabilizer),
      );
      return ctx.backward(tf.div(relevance, z), params);
    },
  };
}

/**
 * Flat: relevance spread uniformly over each output's receptive field (ρ(w) = 1, inputs = 1, no bias).
 * Default stabilizer ±1e-6 (zennit's).
 */
export function flat(options: { stabilizer?: Stabilizer } = {}): Rule {
  return inputFree(
    'flat',
    (p, name) => (name === 'bias' ? null : tf.onesLike(p)),
    options.stabilizer ?? { epsilon: 1e-6, mode: 'sign' },
  );
}

/**
 * w²: relevance spread in proportion to the squared weights (inputs = 1). The bias is dropped, as in
 * the LRP overview (zennit squares it instead). Default stabilizer ±1e-6.
 */
export function wSquare(options: { stabilizer?: Stabilizer } = {}): Rule {
  return inputFree(
    'wsquare',
    (p, name) => (name === 'bias' ? null : tf.square(p)),
    options.stabilizer ?? { epsilon: 1e-6, mode: 'sign' },
  );
}
