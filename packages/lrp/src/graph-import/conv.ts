import * as tf from '@tensorflow/tfjs';
import { Params } from '../graph/params';
import { ConvOp } from '../ops/conv';
import { DepthwiseConvOp } from '../ops/depthwise-conv';
import { DenseOp } from '../ops/dense';
import type { ActivationFn } from '../graph/types';
import { activationFn } from './activation';
import type { ImportContext } from './context';
import { padNode } from './structural';
import type { OpImporter, OpNode } from './types';

/** The bias and activation of a fused op (`fusedOps` = ['biasadd', 'relu'], …). */
function fused(node: OpNode, ctx: ImportContext): { bias: tf.Tensor | null; activation: ActivationFn | null } {
  const ops = ctx.attr<string[]>(node, 'fusedOps', []).map((o) => o.toLowerCase());
  if (ops.length === 0) return { bias: null, activation: null };
  const [extra, act] = ops;
  if (extra !== 'biasadd') throw ctx.unsupported(node, `fused ${ops.join('+')}`);
  const bias = ctx.constant(node, 2);
  if (act === undefined) return { bias, activation: null };
  const activation = activationFn(act, {
    alpha: ctx.attr<number>(node, 'leakyreluAlpha', 0.2),
    preluAlpha: act === 'prelu' ? ctx.constant(node, 3) : undefined,
  });
  if (activation === null) throw ctx.unsupported(node, `fused activation ${act}`);
  return { bias, activation };
}

/** [h, w] of an NHWC attribute `[1, h, w, 1]`. */
function spatial(v: number[] | undefined): [number, number] {
  return v && v.length === 4 ? [v[1], v[2]] : [1, 1];
}

/**
 * The input and padding of a conv: explicit paddings become a zero-padding node before a 'valid' conv,
 * so rules and the transpose only see 'same'/'valid'.
 */
export function convInput(node: OpNode, ctx: ImportContext, x: number): { x: number; padding: 'same' | 'valid' } {
  const format = ctx.attr<string>(node, 'dataFormat', 'nhwc').toLowerCase();
  if (format !== 'nhwc') throw ctx.unsupported(node, `data format ${format}; LRP supports NHWC`);
  const pad = ctx.attr<string>(node, 'pad', 'valid').toLowerCase();
  if (pad === 'same' || pad === 'valid') return { x, padding: pad };
  if (pad !== 'explicit') throw ctx.unsupported(node, `padding ${pad}`);
  const p = ctx.attr<number[]>(node, 'explicitPaddings', []);
  const pads: [number, number][] = [0, 1, 2, 3].map((i) => [p[2 * i] ?? 0, p[2 * i + 1] ?? 0]);
  return { x: padNode(ctx, node, x, pads, 'constant', '/pad'), padding: 'valid' };
}

/** Conv2D, _FusedConv2D, DepthwiseConv2dNative, FusedDepthwiseConv2dNative. */
export const convImporter: OpImporter = (node, ctx) => {
  const { x, padding } = convInput(node, ctx, ctx.value(node, 0));
  const filter = ctx.constant(node, 1);
  const { bias, activation } =
    node.op.startsWith('Fused') || node.op.startsWith('_Fused') ? fused(node, ctx) : { bias: null, activation: null };
  const geometry = {
    strides: spatial(ctx.attr<number[]>(node, 'strides')),
    padding,
    dilation: spatial(ctx.attr<number[]>(node, 'dilations')),
  };
  const depthwise = node.op.includes('Depthwise');
  const op = depthwise
    ? new DepthwiseConvOp(
        new Params(ctx.builder.own(DepthwiseConvOp.fromTfjsKernel(filter)), bias, false),
        geometry,
        filter.shape[2] as number,
      )
    : new ConvOp(new Params(filter, bias, false), geometry);
  return ctx.add(node, { kind: 'linear', inputs: [x], op, activation });
};

/** MatMul and _FusedMatMul with a constant right operand (a Dense layer). */
export const matMulImporter: OpImporter = (node, ctx) => {
  if (ctx.attr<boolean>(node, 'transposeA', false)) throw ctx.unsupported(node, 'transpose_a');
  const x = ctx.value(node, 0);
  let kernel = ctx.constant(node, 1);
  if (kernel.rank !== 2) throw ctx.unsupported(node, `its weight has rank ${kernel.rank}`);
  if (ctx.attr<boolean>(node, 'transposeB', false)) kernel = ctx.builder.own(tf.transpose(kernel));
  const { bias, activation } = node.op === '_FusedMatMul' ? fused(node, ctx) : { bias: null, activation: null };
  return ctx.add(node, { kind: 'linear', inputs: [x], op: new DenseOp(new Params(kernel, bias, false)), activation });
};

export const CONV_OPS = ['Conv2D', '_FusedConv2D', 'DepthwiseConv2dNative', 'FusedDepthwiseConv2dNative'] as const;
export const MATMUL_OPS = ['MatMul', '_FusedMatMul'] as const;
