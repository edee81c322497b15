import * as tf from '@tensorflow/tfjs';
import type { Params } from '../graph/params';
import type { ParamModifier, Rule, RuleContext, Stabilizer } from './types';
import { ruleKey } from './types';

/**
 * Maps the layer's input a to the input of one term (zennit's input modifier): a, a⁺, a⁻, ones, a bound…
 * Returning null drops the term (e.g. a⁻ when the input is known to be ≥ 0): its output and gradient are
 * null for the mapper and the reducer.
 */
export type InputModifier = (input: tf.Tensor, ctx: RuleContext) => tf.Tensor | null;

/** A parameter modifier with a name: terms of any rule on a layer that name the same modifier share its weights. */
export interface NamedParamModifier {
  /** Identifies the modification (e.g. 'clamp+', 'gamma+0.25'); equal names must mean equal results. */
  readonly name: string;
  readonly modify: ParamModifier;
}

/** One forward pass of a rule: the layer applied to a modified input with modified parameters. */
export interface RuleTerm {
  /** Input modifier. Default: the layer's input unchanged. */
  input?: InputModifier;
  /** Parameter modifier (ρ). Default: the layer's own parameters. Ignored on pooling (no parameters). */
  params?: ParamModifier | NamedParamModifier;
  /** Whether the bias takes part (zennit's `zero_params=['bias']` is `bias: false`). Default true. */
  bias?: boolean;
  /** Output modifier applied to the term's output. Default: unchanged. */
  output?: (z: tf.Tensor) => tf.Tensor;
  /**
   * A stabilizer applied to the term's output before the output modifier. Equal to stabilizing in the
   * gradient mapper, but a plain +ε is folded into the bias (one fused op). Default: none.
   */
  stabilizer?: Stabilizer;
  /**
   * The modified input does not depend on the image (ones, input bounds): the term's output is computed
   * once with batch 1 and cached with the modified weights. The input modifier must then return batch 1.
   */
  constant?: boolean;
}

/**
 * zennit's BasicHook: a rule as a list of terms, a gradient mapper and a reducer. For each term i,
 * x_i = input_i(a) and z_i = output_i(layer(x_i; ρ_i(θ))); the mapper turns the output relevance and the
 * z_i into one gradient s_i per term; c_i = ρ_i(W)ᵀ s_i (the layer's transpose); the reducer turns the
 * x_i and c_i into the input relevance. LRP-0/ε/γ, αβ, z^B, flat and w² are such configurations.
 */
export interface BasicRuleSpec {
  name: string;
  terms: readonly RuleTerm[];
  /**
   * One gradient per term (null: that term's c is not needed). `outputs` and the relevance have the same
   * rows (N × targets per image), except constant terms (batch 1, broadcast).
   */
  gradientMapper(relevance: tf.Tensor, outputs: readonly (tf.Tensor | null)[], ctx: RuleContext): (tf.Tensor | null)[];
  /** The input relevance from the term inputs x_i (rows as the relevance) and c_i (null where dropped). */
  reducer(inputs: readonly (tf.Tensor | null)[], gradients: readonly (tf.Tensor | null)[], ctx: RuleContext): tf.Tensor;
}

/** Σ of the non-null tensors (null when all are null). */
export function sumPresent(...ts: (tf.Tensor | null)[]): tf.Tensor | null {
  const present = ts.filter((t): t is tf.Tensor => t !== null);
  if (present.length === 0) return null;
  return present.length === 1 ? present[0] : tf.addN(present);
}

/** Σ x_i · c_i over the terms present. */
export function sumOfProducts(
  inputs: readonly (tf.Tensor | null)[],
  gradients: readonly (tf.Tensor | null)[],
): tf.Tensor {
  const parts = inputs.map((x, i) => (x !== null && gradients[i] ? tf.mul(x, gradients[i]!) : null));
  const sum = sumPresent(...parts);
  if (sum === null) throw new Error('lrp: internal error, a rule kept no term');
  return sum;
}

/** Common input modifiers. */
export const inputModifiers = {
  identity: ((a) => a) as InputModifier,
  positive: ((a) => tf.relu(a)) as InputModifier,
  /** a⁻; dropped when the input is known to be ≥ 0 (after a ReLU), where it is zero. */
  negative: ((a, ctx) => (ctx.layer.inputNonNegative ? null : tf.minimum(a, 0))) as InputModifier,
  ones: ((a) => tf.onesLike(tf.slice(a, 0, 1))) as InputModifier,
};

/** Common parameter modifiers (named, so rules on one layer share their weights). */
export const paramModifiers = {
  positive: { name: 'clamp+', modify: (p) => tf.relu(p) } as NamedParamModifier,
  negative: { name: 'clamp-', modify: (p) => tf.minimum(p, 0) } as NamedParamModifier,
  ones: { name: 'ones', modify: (p) => tf.onesLike(p) } as NamedParamModifier,
  square: { name: 'square', modify: (p) => tf.square(p) } as NamedParamModifier,
  /** w + γ·w⁺ (sign +1) or w + γ·w⁻ (sign −1), on the bias too. */
  gamma: (gamma: number, sign: 1 | -1): NamedParamModifier => ({
    name: `gamma${sign > 0 ? '+' : '-'}${gamma}`,
    modify: (p) => tf.add(p, tf.mul(sign > 0 ? tf.relu(p) : tf.minimum(p, 0), gamma)),
  }),
};

function named(mod: ParamModifier | NamedParamModifier, fallbackKey: string): NamedParamModifier {
  return typeof mod === 'function' ? { name: fallbackKey, modify: mod } : mod;
}

/** A {@link Rule} from a {@link BasicRuleSpec}. */
export function basicRule(spec: BasicRuleSpec): Rule {
  const key = ruleKey(spec.name);
  const mods = spec.terms.map((t, i) => (t.params ? named(t.params, `${key}:p${i}`) : null));
  return {
    name: spec.name,
    relevance(ctx, relevance) {
      const params: (Params | null)[] = mods.map((m) => (m ? ctx.params(`mod:${m.name}`, m.modify) : ctx.ownParams));
      const batch = ctx.input.shape[0];
      const rows = (t: tf.Tensor) => (t.shape[0] === batch ? ctx.repeat(t) : t);
      const xs: (tf.Tensor | null)[] = [];
      const zs: (tf.Tensor | null)[] = [];
      spec.terms.forEach((term, i) => {
        const modify = term.input ?? inputModifiers.identity;
        const withBias = term.bias ?? true;
        const out = term.output ?? ((z: tf.Tensor) => z);
        if (term.constant) {
          const x = modify(ctx.input, ctx);
          xs.push(x);
          zs.push(
            x === null ? null : ctx.constant(`${key}:z${i}`, () => out(ctx.forward(x, params[i], undefined, withBias))),
          );
          return;
        }
        const x = modify(ctx.input, ctx);
        xs.push(x);
        zs.push(x === null ? null : out(ctx.forward(x, params[i], term.stabilizer, withBias)));
      });
      const gradients = spec.gradientMapper(
        relevance,
        zs.map((z) => (z === null ? null : rows(z))),
        ctx,
      );
      // Terms sharing one gradient go through the transpose together (one pass for several kernels).
      const cs: (tf.Tensor | null)[] = spec.terms.map(() => null);
      const done = new Set<number>();
      gradients.forEach((s, i) => {
        if (s === null || xs[i] === null || done.has(i)) return;
        const group = gradients.map((g, j) => j).filter((j) => gradients[j] === s && xs[j] !== null);
        group.forEach((j) => done.add(j));
        const own = params[i];
        if (group.length === 1 || own === null) {
          const c = ctx.backward(s, own);
          group.forEach((j) => (cs[j] = params[j] === own ? c : ctx.backward(s, params[j])));
          return;
        }
        const distinct = [...new Set(group.map((j) => params[j]!))];
        const results = ctx.backwardMany(s, distinct);
        group.forEach((j) => (cs[j] = results[distinct.indexOf(params[j]!)]));
      });
      return spec.reducer(
        xs.map((x) => (x === null ? null : rows(x))),
        cs,
        ctx,
      );
    },
  };
}
