import * as tf from '@tensorflow/tfjs';
import type { Bound, Rule, Stabilizer } from './types';
import { stabilize } from './stabilizer';
import { basicRule, paramModifiers } from './basic';

/** Options of {@link zBox}. */
export interface ZBoxOptions {
  /** Lowest input value: a number, one per channel, or a tensor. Default -1.5 (the tutorial's). */
  low?: Bound;
  /** Highest input value. Default 1.5. */
  high?: Bound;
  /**
   * 'input' (default): the bounds are for the model input and are carried through preprocessing
   * layers (Rescaling, Normalization, Resizing, CenterCrop, ChannelAffine, ZeroPadding2D) to this layer.
   * 'layer': they are for this layer's
   * input as given.
   */
  space?: 'input' | 'layer';
  /** Default 1e-9 (plain), the tutorial's. */
  stabilizer?: Stabilizer;
}

/**
 * z^B (box) rule for the pixel layer: terms (a, W), (l, W⁺), (h, W⁻);
 * z = Σ a w + b − Σ l w⁺ − b⁺ − Σ h w⁻ − b⁻ (the biases cancel), R = a·c − l·c⁺ − h·c⁻. As W = W⁺ + W⁻,
 * c = c⁺ + c⁻ and R = (a − l)·c⁺ + (a − h)·c⁻: the unmodified transpose is never needed.
 */
export function zBox(options: ZBoxOptions = {}): Rule {
  const { low = -1.5, high = 1.5, space = 'input', stabilizer = 1e-9 } = options;
  const rule = basicRule({
    name: 'zbox',
    terms: [
      {},
      { input: (_a, ctx) => ctx.bounds(low, high, space).low, params: paramModifiers.positive, constant: true },
      { input: (_a, ctx) => ctx.bounds(low, high, space).high, params: paramModifiers.negative, constant: true },
    ],
    gradientMapper(relevance, [z, zl, zh]) {
      const s = tf.div(relevance, stabilize(tf.sub(tf.sub(z!, zl!), zh!), stabilizer));
      return [null, s, s];
    },
    reducer: ([a, l, h], [, cp, cm]) => tf.add(tf.mul(tf.sub(a!, l!), cp!), tf.mul(tf.sub(a!, h!), cm!)),
  });
  return {
    name: 'zbox',
    relevance(ctx, relevance) {
      if (ctx.ownParams === null) {
        throw new Error(`lrp: the z^B rule needs a layer with weights; "${ctx.layer.name}" has none`);
      }
      return rule.relevance(ctx, relevance);
    },
  };
}
