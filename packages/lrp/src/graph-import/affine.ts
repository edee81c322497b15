import * as tf from '@tensorflow/tfjs';
import { Params } from '../graph/params';
import type { LinearNode } from '../graph/types';
import type { ImportContext } from './context';
import type { OpImporter, OpNode } from './types';

/** A constant as a per-channel vector (its axes before the last must be 1), or null if it is not one. */
function perChannel(t: tf.Tensor): tf.Tensor1D | null {
  if (t.shape.slice(0, -1).some((d) => d !== 1)) return null;
  return tf.reshape(t, [-1]) as tf.Tensor1D;
}

/**
 * `y = x·scale + shift` per channel, placed where rules never see it:
 * - folded into the conv/dense layer that computes x (its only reader): W·scale, b·scale + shift;
 * - on the model input (preprocessing, e.g. `x/127.5 − 1`): relevance passes through and z^B bounds
 *   are mapped through it;
 * - else an inference BatchNorm node, which the foldBatchNorm canonizer folds into the next layer.
 */
export function affine(ctx: ImportContext, node: OpNode, x: number, scale: tf.Tensor1D, shift: tf.Tensor1D): number {
  const b = ctx.builder;
  const index = b.nodes.findIndex((n) => n.output === x);
  const producer = index >= 0 ? b.nodes[index] : undefined;
  const source = node.inputs[0];
  if (
    producer?.kind === 'linear' &&
    producer.activation === null &&
    producer.op.params !== null &&
    (source === undefined || source.children.length === 1)
  ) {
    const p = producer.op.params;
    const kernel = b.own(tf.mul(p.kernel, scale));
    const bias = b.own(tf.tidy(() => tf.add(tf.mul(p.bias ?? tf.zeros([p.units]), scale), shift)));
    const folded: LinearNode = { ...producer, op: producer.op.withParams(new Params(kernel, bias, false)) };
    b.nodes[index] = folded;
    return x;
  }
  const s = b.own(scale);
  const t = b.own(shift);
  const onInput =
    x === 0 || (producer?.kind === 'structural' && (producer.role === 'preprocess' || producer.role === 'identity'));
  if (onInput) {
    return ctx.add(node, {
      kind: 'structural',
      role: 'preprocess',
      inputs: [x],
      apply: ([v]) => tf.add(tf.mul(v, s), t),
      propagate: (r) => [r],
    });
  }
  return ctx.add(node, { kind: 'batchnorm', inputs: [x], scale: s, shift: t });
}

/** BiasAdd, Add/AddV2/Sub/Mul/RealDiv with a per-channel constant, FusedBatchNorm(V3); Add of two values. */
export const arithmeticImporter: OpImporter = (node, ctx) => {
  if (node.op === 'FusedBatchNorm' || node.op === 'FusedBatchNormV3') {
    const x = ctx.value(node, 0);
    const eps = ctx.attr<number>(node, 'epsilon', 1e-3);
    const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((i) => ctx.constant(node, i));
    const scale = tf.tidy(() => tf.reshape(tf.mul(gamma, tf.rsqrt(tf.add(variance, eps))), [-1]) as tf.Tensor1D);
    const shift = tf.tidy(() => tf.reshape(tf.sub(beta, tf.mul(mean, scale)), [-1]) as tf.Tensor1D);
    return affine(ctx, node, x, scale, shift);
  }
  const a = ctx.input(node, 0);
  const c = ctx.input(node, 1);
  if (a.kind === 'value' && c.kind === 'value') {
    if (node.op === 'Add' || node.op === 'AddV2') return ctx.add(node, { kind: 'add', inputs: [a.value, c.value] });
    throw ctx.unsupported(node, 'both operands are computed from the image; only Add/AddV2 of two such values is');
  }
  if (a.kind === 'const' && c.kind === 'const') throw ctx.error(node, 'has only constant inputs');
  const [x, k, constFirst] =
    a.kind === 'value'
      ? [a.value, (c as { tensor: tf.Tensor }).tensor, false]
      : [(c as { value: number }).value, a.tensor, true];
  const vector = perChannel(k);
  if (vector === null) {
    throw ctx.unsupported(node, `its constant has shape [${k.shape}]; LRP folds per-channel or scalar constants`);
  }
  const ones = () => tf.onesLike(vector);
  const zeros = () => tf.zerosLike(vector);
  switch (node.op) {
    case 'BiasAdd':
    case 'Add':
    case 'AddV2':
      return affine(ctx, node, x, ones(), vector);
    case 'Sub':
      return constFirst ? affine(ctx, node, x, tf.neg(ones()), vector) : affine(ctx, node, x, ones(), tf.neg(vector));
    case 'Mul':
      return affine(ctx, node, x, vector, zeros());
    case 'RealDiv':
      if (constFirst) throw ctx.unsupported(node, 'a constant divided by the activation is not affine');
      return affine(ctx, node, x, tf.reciprocal(vector), zeros());
    default:
      throw ctx.unsupported(node);
  }
};

export const ARITHMETIC_OPS = [
  'BiasAdd',
  'Add',
  'AddV2',
  'Sub',
  'Mul',
  'RealDiv',
  'FusedBatchNorm',
  'FusedBatchNormV3',
] as const;
