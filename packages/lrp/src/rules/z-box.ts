import * as tf from '@tensorflow/tfjs';
import type { Bound, Rule, Stabilizer } from './types';
import { ruleKey } from './types';
import { plainEpsilon, stabilize } from './stabilizer';

/** Options of {@link zBox}. */
export interface ZBoxOptions {
  /** Lowest input value: a number, one per channel, or a tensor. Default -1.5 (the tutorial's). */
  low?: Bound;
  /** Highest input value. Default 1.5. */
  high?: Bound;
  /**
   * 'input' (default): the bounds are for the model input and are carried through preprocessing
   * layers (Rescaling, ChannelAffine, ZeroPadding2D) to this layer. 'layer': they are for this layer's
   * input as given.
   */
  space?: 'input' | 'layer';
  /** Default 1e-9 (plain), the tutorial's. */
  stabilizer?: Stabilizer;
}

/**
 * z^B (box) rule for the pixel layer, as the tutorial's first-layer step:
 * z = Σ a w + b − Σ l w⁺ − b⁺ − Σ h w⁻ − b⁻ (the biases cancel), R = a·c − l·c⁺ − h·c⁻.
 */
export function zBox(options: ZBoxOptions = {}): Rule {
  const { low = -1.5, high = 1.5, space = 'input', stabilizer = 1e-9 } = options;
  const key = ruleKey('zbox');
  return {
    name: 'zbox',
    relevance(ctx, relevance) {
      const own = ctx.ownParams;
      if (own === null) throw new Error(`lrp: the z^B rule needs a layer with weights; "${ctx.layer.name}" has none`);
      const positive = ctx.params(`${key}+`, (p) => tf.relu(p))!;
      const negative = ctx.params(`${key}-`, (p) => tf.minimum(p, 0))!;
      const bounds = ctx.bounds(low, high, space);
      // The bound terms do not depend on the image: computed once (batch 1) and reused; a plain ε is
      // folded into them.
      const eps = plainEpsilon(stabilizer);
      const boundTerms = ctx.constant(`${key}:z:${eps}`, () => {
        const terms = tf.add(ctx.forward(bounds.low, positive), ctx.forward(bounds.high, negative));
        return eps === null ? terms : tf.sub(terms, eps);
      });
      const shifted = tf.sub(ctx.output, boundTerms);
      const z = eps === null ? stabilize(shifted, stabilizer) : shifted; // step 1
      const s = tf.div(relevance, ctx.repeat(z)); // step 2
      const [cp, cm] = ctx.backwardMany(s, [positive, negative]); // step 3 (c = c⁺ + c⁻)
      const a = ctx.repeat(ctx.input);
      // step 4: a·c − l·c⁺ − h·c⁻ = (a − l)·c⁺ + (a − h)·c⁻
      return tf.add(tf.mul(tf.sub(a, bounds.low), cp), tf.mul(tf.sub(a, bounds.high), cm));
    },
  };
}
