import * as tf from '@tensorflow/tfjs';
import { AvgPoolOp, GlobalAvgPoolOp, MaxPoolOp } from '../ops/pool';
import type { ImportContext } from './context';
import type { OpImporter, OpNode } from './types';

function spatial(v: number[] | undefined, fallback: number): [number, number] {
  return v && v.length === 4 ? [v[1], v[2]] : [fallback, fallback];
}

function geometry(node: OpNode, ctx: ImportContext) {
  const pad = ctx.attr<string>(node, 'pad', 'valid').toLowerCase();
  if (pad !== 'same' && pad !== 'valid') throw ctx.unsupported(node, `padding ${pad}`);
  const format = ctx.attr<string>(node, 'dataFormat', 'nhwc').toLowerCase();
  if (format !== 'nhwc') throw ctx.unsupported(node, `data format ${format}; LRP supports NHWC`);
  const poolSize = spatial(ctx.attr<number[]>(node, 'kernelSize'), 1);
  return { poolSize, strides: spatial(ctx.attr<number[]>(node, 'strides'), 1), padding: pad as 'same' | 'valid' };
}

/** MaxPool and AvgPool: the same ops as MaxPooling2D / AveragePooling2D layers. */
export const poolImporter: OpImporter = (node, ctx) => {
  const x = ctx.value(node, 0);
  const g = geometry(node, ctx);
  const op = node.op === 'MaxPool' ? new MaxPoolOp(g) : new AvgPoolOp(g);
  return ctx.add(node, { kind: 'linear', inputs: [x], op, activation: null });
};

/** Mean over height and width (global average pooling), with or without kept dims. */
export const meanImporter: OpImporter = (node, ctx) => {
  const x = ctx.value(node, 0);
  const axes = ctx
    .numbers(node, 1)
    .map((a) => (a < 0 ? a + 4 : a))
    .sort();
  if (axes.length !== 2 || axes[0] !== 1 || axes[1] !== 2) {
    throw ctx.unsupported(node, `it averages axes [${axes}]; LRP supports the mean over height and width of NHWC`);
  }
  const gap = ctx.add(
    node,
    { kind: 'linear', inputs: [x], op: new GlobalAvgPoolOp(), activation: null },
    ctx.attr<boolean>(node, 'keepDims', false) ? '/mean' : '',
  );
  if (!ctx.attr<boolean>(node, 'keepDims', false)) return gap;
  return ctx.add(node, {
    kind: 'structural',
    role: 'reshape',
    inputs: [gap],
    apply: ([v]) => tf.reshape(v, [v.shape[0], 1, 1, v.shape[1] as number]),
    propagate: (r) => [tf.reshape(r, [r.shape[0], r.shape[3] as number])],
  });
};

export const POOL_OPS = ['MaxPool', 'AvgPool'] as const;
export const MEAN_OPS = ['Mean'] as const;
