import type * as tf from '@tensorflow/tfjs';
import type { Params } from '../graph/params';
import type { LinearType } from '../graph/types';

/** What a composite knows about a layer when it picks its rule. */
export interface LayerInfo {
  /** Layer name (nested models prefix theirs: `backbone/conv1`). */
  readonly name: string;
  /** tfjs class: 'Conv2D', 'Dense', 'MaxPooling2D', … */
  readonly className: string;
  /** What the layer computes. */
  readonly type: LinearType;
  /** Position among all rule-taking layers (conv, dense, pooling), in forward order from 0. */
  readonly index: number;
  readonly count: number;
  /** Position among weight layers (conv, dense) from 0; -1 for pooling. */
  readonly weightIndex: number;
  readonly weightCount: number;
  /** Position among layers of the same `type`. */
  readonly typeIndex: number;
  readonly typeCount: number;
  /** The layer's input is known to be ≥ 0 (it comes from a ReLU, possibly through pooling/reshapes). */
  readonly inputNonNegative: boolean;
}

/**
 * Keeps z away from zero before the division s = R / z:
 * - a number ε: z + ε (the tutorial's increment, `incr(z) = z + 1e-9`);
 * - `{ epsilon, mode: 'sign' }`: z + ε·sign(z), with sign(0) = 1 (zennit's stabilizer);
 * - a function: any increment you like.
 */
export type Stabilizer = number | { epsilon: number; mode: 'plain' | 'sign' } | ((z: tf.Tensor) => tf.Tensor);

/**
 * ρ of the general rule: maps a parameter to its modified version. Return `null` for the bias to
 * drop it. It is called once per layer and composite; the result is cached.
 */
export type ParamModifier = (param: tf.Tensor, name: 'kernel' | 'bias') => tf.Tensor | null;

/** Per-channel (or scalar) bounds of the input, or a tensor broadcastable to one input image. */
export type Bound = number | number[] | tf.Tensor;

/**
 * Everything a rule needs at one linear layer. Tensors with batch N are per image; relevance has
 * batch N × `repeats` (several targets per image, target-major: row j·N + i is image i, target j). All
 * tensors live in the caller's tf.tidy scope.
 */
export interface RuleContext {
  readonly layer: LayerInfo;
  /** The layer's input a (batch N). */
  readonly input: tf.Tensor;
  /** The layer's output z = Σ_j a_j w_jk + b_k from the forward pass (batch N, before activation). */
  readonly output: tf.Tensor;
  /** Targets per image. */
  readonly repeats: number;
  /** A batch-N tensor expanded to N × repeats rows. */
  repeat<T extends tf.Tensor>(t: T): T;
  /** The layer's own parameters; `null` for pooling. */
  readonly ownParams: Params | null;
  /** The parameters transformed by ρ, cached per layer, composite and `key`; `null` for pooling. */
  params(key: string, rho: ParamModifier): Params | null;
  /**
   * The layer applied to `x` with `params`, stabilized (step 1), without the bias when `withBias` is
   * false. Reuses the forward pass when `x` is the layer's input and `params` its own, and folds a plain
   * ε into the bias otherwise.
   */
  forward(x: tf.Tensor, params: Params | null, stabilizer?: Stabilizer, withBias?: boolean): tf.Tensor;
  /** c_j = Σ_k ρ(w_jk) s_k (step 3), for s of batch N × repeats. */
  backward(s: tf.Tensor, params: Params | null): tf.Tensor;
  /** Several parameter sets in one pass where the op allows it. */
  backwardMany(s: tf.Tensor, params: Params[]): tf.Tensor[];
  /** A batch-independent tensor, computed once per layer, composite, key and input shape. */
  constant(key: string, make: () => tf.Tensor): tf.Tensor;
  /**
   * Input bounds [low, high] in this layer's input space, shape [1, ...input image]: given for the model
   * input (`space: 'input'`, mapped through the preprocessing layers: Rescaling, Normalization, Resizing, CenterCrop, ChannelAffine, padding) or for this
   * layer's input directly (`space: 'layer'`).
   */
  bounds(low: Bound, high: Bound, space: 'input' | 'layer'): { low: tf.Tensor; high: tf.Tensor };
}

/** A rule: how relevance passes one linear layer, from its output to its input. */
export interface Rule {
  readonly name: string;
  /** Relevance of the layer's input (batch N × repeats) from the relevance of its output. */
  relevance(ctx: RuleContext, relevance: tf.Tensor): tf.Tensor;
}

let nextRuleId = 1;
/** A key unique to one rule instance, for parameter caches. */
export function ruleKey(name: string): string {
  return `${name}#${nextRuleId++}`;
}
