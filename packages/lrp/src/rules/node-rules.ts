import * as tf from '@tensorflow/tfjs';
import { repeatRows } from '../ops/repeat';
import { stabilize } from './stabilizer';
import type { Stabilizer } from './types';

/** What a composite knows about an Add or activation node when it picks its rule. */
export interface NodeInfo {
  /** Node name (a fused activation split off a layer: `<layer>/<activation>`). */
  readonly name: string;
  /** tfjs class of the layer it comes from. */
  readonly className: string;
  readonly kind: 'add' | 'activation';
  /** The activation's tfjs name ('relu', 'sigmoid', …); undefined for Add. */
  readonly activation?: string;
}

/** Everything a node rule sees: the node's inputs and output from the forward pass (batch N). */
export interface NodeRuleContext {
  readonly node: NodeInfo;
  readonly inputs: readonly tf.Tensor[];
  readonly output: tf.Tensor;
  /** Targets per image: relevance has N × repeats rows (target-major). */
  readonly repeats: number;
}

/** How relevance passes an Add (one relevance per input) or an activation (one input). */
export interface NodeRule {
  readonly name: string;
  relevance(ctx: NodeRuleContext, relevance: tf.Tensor): tf.Tensor[];
}

/**
 * Each input gets relevance in proportion to what it added: R_i = x_i / stab(Σ x) · R (zennit's Norm on
 * its Sum). The default of Add, with the composite's stabilizer; default ±1e-6.
 */
export function proportional(options: { stabilizer?: Stabilizer } = {}): NodeRule {
  const stabilizer = options.stabilizer ?? { epsilon: 1e-6, mode: 'sign' };
  return {
    name: 'proportional',
    relevance(ctx, relevance) {
      const s = tf.div(relevance, repeatRows(stabilize(ctx.output, stabilizer), ctx.repeats));
      return ctx.inputs.map((x) => tf.mul(repeatRows(x, ctx.repeats), s));
    },
  };
}

/** Each input of an Add gets an equal share, whatever it added (conserving, sign-blind). */
export function equalSplit(): NodeRule {
  return {
    name: 'equal-split',
    relevance(ctx, relevance) {
      const share = tf.div(relevance, ctx.inputs.length);
      return ctx.inputs.map(() => share);
    },
  };
}

/** Relevance passes unchanged (the default of activations: the tutorial's ReLU pass-through). */
export function passThrough(): NodeRule {
  return {
    name: 'pass-through',
    relevance(ctx, relevance) {
      if (ctx.inputs.length !== 1)
        throw new Error(`lrp: pass-through needs one input; "${ctx.node.name}" has ${ctx.inputs.length}`);
      return [relevance];
    },
  };
}
