import * as tf from '@tensorflow/tfjs';
import type { LinearOp, OpContext } from '../graph/types';
import type { Params } from '../graph/params';
import { opStrategy } from './strategy';
import { repeatRows } from './repeat';

/** Geometry of a channels-last 2-D pooling layer. */
export interface PoolGeometry {
  poolSize: [number, number];
  strides: [number, number];
  padding: 'same' | 'valid';
}

/** Each value repeated over a ph × pw block (nearest-neighbour upsampling by broadcasting). */
function upsample(t: tf.Tensor, ph: number, pw: number): tf.Tensor {
  const [m, oh, ow, c] = t.shape;
  const blocks = tf.mul(tf.reshape(t, [m, oh, 1, ow, 1, c]), tf.ones([1, 1, ph, 1, pw, 1]));
  return tf.reshape(blocks, [m, oh * ph, ow * pw, c]);
}

/** `t` times 2^(P−1−p) at position p (row-major) of each ph × pw window (P = ph·pw). */
function timesPositionCodes(t: tf.Tensor, ph: number, pw: number): tf.Tensor {
  const [n, h, w, c] = t.shape;
  const codes = new Float32Array(ph * pw).map((_, p) => 2 ** (ph * pw - 1 - p));
  const windows = tf.reshape(t, [n, h / ph, ph, w / pw, pw, c]);
  return tf.reshape(tf.mul(windows, tf.tensor(codes, [1, 1, ph, 1, pw, 1])), [n, h, w, c]);
}

function noParams(type: string): never {
  throw new Error(`lrp: ${type} has no parameters to replace`);
}

/**
 * MaxPooling2D. Its transpose routes each output's signal to the input that won the max (the gradient
 * of max pooling), which makes the tutorial's general rule winner-take-all.
 */
export class MaxPoolOp implements LinearOp {
  readonly type = 'maxpool' as const;
  readonly params = null;

  constructor(readonly geometry: PoolGeometry) {}

  withParams(): LinearOp {
    return noParams('MaxPooling2D');
  }

  forward(x: tf.Tensor): tf.Tensor {
    const g = this.geometry;
    return tf.maxPool(x as tf.Tensor4D, g.poolSize, g.strides, g.padding);
  }

  backward(s: tf.Tensor, _params: Params | null, ctx: OpContext): tf.Tensor {
    const g = this.geometry;
    const x = ctx.input as tf.Tensor4D;
    const [, h, w] = x.shape;
    const [ph, pw] = g.poolSize;
    const tiles = g.strides[0] === ph && g.strides[1] === pw && h % ph === 0 && w % pw === 0;
    if (opStrategy().maxPoolRouting === 'mask' && tiles) {
      // Windows tile the input, so the gradient is a mask: 1 at the first maximum of each window (row-
      // major, as PyTorch's and TF's kernels pick it), 0 elsewhere. Built from elementwise ops: maxima
      // are where the input equals its window's max; among them, position p of the window gets the code
      // 2^(P−1−p) and the window's max code marks the first one.
      const notWinner = ctx.memo('not-winner', () => {
        const below = tf.step(tf.sub(upsample(ctx.output, ph, pw), x)); // 1 below the max, 0 at maxima
        const code = timesPositionCodes(tf.sub(1, below), ph, pw);
        const first = tf.maxPool(code as tf.Tensor4D, [ph, pw], [ph, pw], 'valid');
        return tf.step(tf.sub(upsample(first, ph, pw), code)); // 0 only at each window's first maximum
      });
      const spread = upsample(s, ph, pw);
      return tf.sub(spread, tf.mul(spread, repeatRows(notWinner, ctx.repeats)));
    }
    const { input, output } = ctx.memo('gradient-input', () => {
      if (!opStrategy().maxPoolGradPositive) return { input: x, output: ctx.output };
      // Order-preserving shift to values ≥ 1 (see OpStrategy.maxPoolGradPositive).
      const shift = tf.sub(1, tf.min(x));
      return { input: tf.add(x, shift), output: tf.add(ctx.output, shift) };
    });
    return poolGrad(
      'MaxPoolGrad',
      { dy: s, input: repeatRows(input, ctx.repeats), output: repeatRows(output, ctx.repeats) },
      g,
    );
  }

  backwardMany(s: tf.Tensor, params: Params[], ctx: OpContext): tf.Tensor[] {
    return params.map(() => this.backward(s, null, ctx));
  }
}

/** The transpose of a pooling layer by tfjs's own gradient kernel. */
function poolGrad(kernel: 'MaxPoolGrad' | 'AvgPoolGrad', inputs: tf.NamedTensorMap, g: PoolGeometry): tf.Tensor {
  return tf
    .engine()
    .runKernel(kernel, inputs, { filterSize: g.poolSize, strides: g.strides, pad: g.padding }) as tf.Tensor;
}

/** Per output window: (window area) / (number of unpadded inputs in it), shape [1, OH, OW, 1]. */
function windowCorrection(h: number, w: number, g: PoolGeometry): tf.Tensor {
  const axis = (size: number, k: number, stride: number) => {
    const out = Math.ceil(size / stride);
    const before = Math.floor(Math.max(0, (out - 1) * stride + k - size) / 2);
    return Array.from({ length: out }, (_, o) => {
      const start = o * stride - before;
      return Math.min(size, start + k) - Math.max(0, start);
    });
  };
  const rows = axis(h, g.poolSize[0], g.strides[0]);
  const cols = axis(w, g.poolSize[1], g.strides[1]);
  const area = g.poolSize[0] * g.poolSize[1];
  const values = new Float32Array(rows.length * cols.length);
  rows.forEach((r, i) => cols.forEach((c, j) => (values[i * cols.length + j] = area / (r * c))));
  return tf.tensor4d(values, [1, rows.length, cols.length, 1]);
}

/** AveragePooling2D (also max pooling's "average" treatment). */
export class AvgPoolOp implements LinearOp {
  readonly type = 'avgpool' as const;
  readonly params = null;

  constructor(readonly geometry: PoolGeometry) {}

  withParams(): LinearOp {
    return noParams('AveragePooling2D');
  }

  forward(x: tf.Tensor): tf.Tensor {
    const g = this.geometry;
    return tf.avgPool(x as tf.Tensor4D, g.poolSize, g.strides, g.padding);
  }

  backward(s: tf.Tensor, _params: Params | null, ctx: OpContext): tf.Tensor {
    const g = this.geometry;
    const [, h, w] = ctx.input.shape;
    const [ph, pw] = g.poolSize;
    if (g.padding === 'valid' && g.strides[0] === ph && g.strides[1] === pw && h % ph === 0 && w % pw === 0) {
      // Non-overlapping windows: spread each output evenly over its window by broadcasting, far cheaper
      // than the AvgPoolGrad kernel on wasm.
      return upsample(tf.div(s, ph * pw), ph, pw);
    }
    // tfjs' forward divides by the number of real (unpadded) inputs in a window, its AvgPoolGrad by the
    // full window size: rescale s so the result is the exact transpose of the forward pass.
    const dy = g.padding === 'same' ? tf.mul(s, windowCorrection(h, w, g)) : s;
    return poolGrad('AvgPoolGrad', { dy, input: repeatRows(ctx.input, ctx.repeats) }, g);
  }

  backwardMany(s: tf.Tensor, params: Params[], ctx: OpContext): tf.Tensor[] {
    return params.map(() => this.backward(s, null, ctx));
  }
}

/** GlobalAveragePooling2D: `[N, H, W, C]` → `[N, C]`. */
export class GlobalAvgPoolOp implements LinearOp {
  readonly type = 'gap' as const;
  readonly params = null;

  withParams(): LinearOp {
    return noParams('GlobalAveragePooling2D');
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.mean(x, [1, 2]);
  }

  backward(s: tf.Tensor, _params: Params | null, ctx: OpContext): tf.Tensor {
    const [, h, w, c] = ctx.input.shape;
    return tf.mul(tf.reshape(s, [s.shape[0], 1, 1, c]), tf.fill([1, h, w, 1], 1 / (h * w)));
  }

  backwardMany(s: tf.Tensor, params: Params[], ctx: OpContext): tf.Tensor[] {
    return params.map(() => this.backward(s, null, ctx));
  }
}
