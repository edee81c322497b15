import * as tf from '@tensorflow/tfjs';
import type { ImportContext } from './context';
import type { OpImporter, OpNode } from './types';

/** 0/1 matrix [out, in]: padded position o reads input position src(o). */
function mirrorMatrix(size: number, before: number, after: number, symmetric: boolean): tf.Tensor2D {
  const out = size + before + after;
  const m = new Float32Array(out * size);
  const shift = symmetric ? 1 : 0;
  for (let o = 0; o < out; o++) {
    let i = o - before;
    if (i < 0) i = -i - shift;
    if (i >= size) i = 2 * size - i - 2 + shift;
    m[o * size + i] = 1;
  }
  return tf.tensor2d(m, [out, size]);
}

/** Relevance of a mirror-padded [N, H, W, C] tensor moved back to the pixels it copies. */
function unmirror(r: tf.Tensor, x: tf.Tensor, pads: [number, number][], symmetric: boolean): tf.Tensor {
  const [, h, w] = x.shape;
  const [n, ho, wo, c] = r.shape;
  const mh = mirrorMatrix(h, pads[1][0], pads[1][1], symmetric);
  const mw = mirrorMatrix(w, pads[2][0], pads[2][1], symmetric);
  // Along H: [Ho, H]ᵀ · R(Ho, N·Wo·C); then along W the same way.
  const alongH = tf.matMul(mh, tf.reshape(tf.transpose(r, [1, 0, 2, 3]), [ho, n * wo * c]), true, false);
  const rh = tf.transpose(tf.reshape(alongH, [h, n, wo, c]), [2, 1, 0, 3]); // [Wo, N, H, C]
  const alongW = tf.matMul(mw, tf.reshape(rh, [wo, n * h * c]), true, false);
  return tf.transpose(tf.reshape(alongW, [w, n, h, c]), [1, 2, 0, 3]);
}

/**
 * Padding of an NHWC value: zeros (relevance of the padding is dropped, the rest cropped back) or
 * mirrored (the copies give their relevance back to the pixels they copy).
 */
export function padNode(
  ctx: ImportContext,
  node: OpNode,
  x: number,
  pads: [number, number][],
  mode: 'constant' | 'reflect' | 'symmetric',
  suffix = '',
): number {
  if (pads.length !== 4 || pads[0].some((p) => p !== 0) || pads[3].some((p) => p !== 0)) {
    throw ctx.unsupported(node, `paddings ${JSON.stringify(pads)}; LRP pads height and width of NHWC values only`);
  }
  return ctx.add(
    node,
    {
      kind: 'structural',
      role: 'pad',
      inputs: [x],
      apply: ([v]) => (mode === 'constant' ? tf.pad(v, pads) : tf.mirrorPad(v, pads, mode)),
      propagate: (r, [v]) => {
        if (mode !== 'constant') return [unmirror(r, v, pads, mode === 'symmetric')];
        const [, h, w, c] = v.shape as number[];
        return [tf.slice(r, [0, pads[1][0], pads[2][0], 0], [r.shape[0] as number, h, w, c])];
      },
    },
    suffix,
  );
}

function pairs(flat: number[]): [number, number][] {
  return Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i], flat[2 * i + 1]]);
}

/** Pad, PadV2 (constant 0), MirrorPad. */
export const padImporter: OpImporter = (node, ctx) => {
  const x = ctx.value(node, 0);
  const pads = pairs(ctx.numbers(node, 1));
  if (node.op === 'PadV2' && ctx.numbers(node, 2)[0] !== 0) throw ctx.unsupported(node, 'non-zero constant_value');
  const mode =
    node.op === 'MirrorPad' ? (ctx.attr<string>(node, 'mode', 'reflect').toLowerCase() as 'reflect') : 'constant';
  return padNode(ctx, node, x, pads, mode);
};

/** Reshape of the batch's rows: the first axis always stays the batch. */
function reshapeNode(ctx: ImportContext, node: OpNode, x: number, shape: (v: tf.Tensor) => number[]): number {
  return ctx.add(node, {
    kind: 'structural',
    role: 'reshape',
    inputs: [x],
    apply: ([v]) => tf.reshape(v, shape(v)),
    propagate: (r, [v]) => [tf.reshape(r, [r.shape[0], ...v.shape.slice(1)])],
  });
}

/** Reshape, Squeeze, ExpandDims: relevance is reshaped back. */
export const reshapeImporter: OpImporter = (node, ctx) => {
  const x = ctx.value(node, 0);
  if (node.op === 'Reshape') {
    const target = ctx.numbers(node, 1);
    return reshapeNode(ctx, node, x, (v) => [v.shape[0], ...target.slice(1)]);
  }
  if (node.op === 'Squeeze') {
    const axes = ctx.attr<number[]>(node, 'axis', []);
    return reshapeNode(ctx, node, x, (v) => {
      const norm = axes.map((a) => (a < 0 ? a + v.rank : a));
      if (norm.includes(0)) throw ctx.unsupported(node, 'it squeezes the batch axis');
      return v.shape.filter((d, i) => (axes.length ? !norm.includes(i) : i === 0 || d !== 1));
    });
  }
  const axis = ctx.numbers(node, 1)[0];
  return reshapeNode(ctx, node, x, (v) => {
    const a = axis < 0 ? axis + v.rank + 1 : axis;
    if (a === 0) throw ctx.unsupported(node, 'it adds an axis before the batch axis');
    return [...v.shape.slice(0, a), 1, ...v.shape.slice(a)];
  });
};

/** ConcatV2: each input gets its slice of the relevance back. */
export const concatImporter: OpImporter = (node, ctx) => {
  const count = node.inputNames.length - 1;
  const axis = ctx.numbers(node, count)[0];
  const inputs = Array.from({ length: count }, (_, i) => ctx.value(node, i));
  if (axis === 0) throw ctx.unsupported(node, 'it concatenates along the batch axis');
  return ctx.add(node, {
    kind: 'structural',
    role: 'concat',
    inputs,
    apply: (xs) => tf.concat(xs, axis),
    propagate: (r, xs) =>
      tf.split(
        r,
        xs.map((v) => v.shape[axis < 0 ? axis + r.rank : axis]),
        axis < 0 ? axis + r.rank : axis,
      ),
  });
};

export const PAD_OPS = ['Pad', 'PadV2', 'MirrorPad'] as const;
export const RESHAPE_OPS = ['Reshape', 'Squeeze', 'ExpandDims'] as const;
export const CONCAT_OPS = ['ConcatV2'] as const;
/** Ops that return their input: the importer looks through them. */
export const IDENTITY_OPS = ['Identity', 'StopGradient', 'Snapshot', 'PreventGradient'] as const;
