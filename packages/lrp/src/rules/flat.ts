import * as tf from '@tensorflow/tfjs';
import type { Rule, Stabilizer } from './types';
import { stabilize } from './stabilizer';
import { basicRule, inputModifiers, paramModifiers, type NamedParamModifier } from './basic';

function inputFree(name: string, rho: NamedParamModifier, stabilizer: Stabilizer): Rule {
  return basicRule({
    name,
    // Inputs are replaced by ones, so z does not depend on the image: computed once.
    terms: [{ input: inputModifiers.ones, params: rho, bias: false, constant: true }],
    gradientMapper: (relevance, [z]) => [tf.div(relevance, stabilize(z!, stabilizer))],
    reducer: (_xs, [c]) => c!,
  });
}

/**
 * Flat: relevance spread uniformly over each output's receptive field (ρ(w) = 1, inputs = 1, no bias).
 * Default stabilizer ±1e-6 (zennit's).
 */
export function flat(options: { stabilizer?: Stabilizer } = {}): Rule {
  return inputFree('flat', paramModifiers.ones, options.stabilizer ?? { epsilon: 1e-6, mode: 'sign' });
}

/**
 * w²: relevance spread in proportion to the squared weights (inputs = 1). The bias is dropped, as in
 * the LRP overview (zennit squares it instead). Default stabilizer ±1e-6.
 */
export function wSquare(options: { stabilizer?: Stabilizer } = {}): Rule {
  return inputFree('wsquare', paramModifiers.square, options.stabilizer ?? { epsilon: 1e-6, mode: 'sign' });
}
