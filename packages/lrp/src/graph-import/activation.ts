import * as tf from '@tensorflow/tfjs';
import type { ActivationFn } from '../graph/types';
import type { OpImporter } from './types';

/** An activation by the graph's (lower-cased) op name, or null when tfjs has no such activation. */
export function activationFn(
  name: string,
  options: { alpha?: number; preluAlpha?: tf.Tensor } = {},
): ActivationFn | null {
  const n = name.toLowerCase();
  switch (n) {
    case 'relu':
      return { name: 'relu', apply: (x) => tf.relu(x) };
    case 'relu6':
      return { name: 'relu6', apply: (x) => tf.relu6(x) };
    case 'elu':
      return { name: 'elu', apply: (x) => tf.elu(x) };
    case 'selu':
      return { name: 'selu', apply: (x) => tf.selu(x) };
    case 'leakyrelu': {
      const alpha = options.alpha ?? 0.2;
      return { name: 'leakyrelu', apply: (x) => tf.leakyRelu(x, alpha) };
    }
    case 'prelu': {
      const alpha = options.preluAlpha;
      if (alpha === undefined) return null;
      return { name: 'prelu', apply: (x) => tf.prelu(x, alpha) };
    }
    case 'sigmoid':
      return { name: 'sigmoid', apply: (x) => tf.sigmoid(x) };
    case 'tanh':
      return { name: 'tanh', apply: (x) => tf.tanh(x) };
    case 'softmax':
      return { name: 'softmax', apply: (x) => tf.softmax(x) };
    case 'softplus':
      return { name: 'softplus', apply: (x) => tf.softplus(x) };
    default:
      return null;
  }
}

/** Elementwise activations: relevance passes through unchanged (as for activation layers). */
export const activationImporter: OpImporter = (node, ctx) => {
  const x = ctx.value(node, 0);
  const preluAlpha = node.op === 'Prelu' ? ctx.constant(node, 1) : undefined;
  const fn = activationFn(node.op, { alpha: ctx.attr<number>(node, 'alpha', 0.2), preluAlpha });
  if (fn === null) throw ctx.unsupported(node);
  return ctx.add(node, { kind: 'activation', inputs: [x], activation: fn });
};

export const ACTIVATION_OPS = [
  'Relu',
  'Relu6',
  'Elu',
  'Selu',
  'LeakyRelu',
  'Prelu',
  'Sigmoid',
  'Tanh',
  'Softmax',
  'Softplus',
] as const;
