import * as tf from '@tensorflow/tfjs';
import type { LinearOp, OpContext } from '../graph/types';
import type { Params } from '../graph/params';
import { fusedConvArgs, transposeLayout, type ConvGeometry } from './conv';

/**
 * DepthwiseConv2D (NHWC) as a linear op. Its kernel is kept as `[kh, kw, 1, channels·multiplier]`
 * (output channel last, as for Conv2D), so that canonizers that scale output channels (folding a
 * BatchNorm) and elementwise ρ work on it unchanged; the `[kh, kw, channels, multiplier]` form tfjs
 * wants is derived once.
 */
export class DepthwiseConvOp implements LinearOp {
  readonly type = 'conv' as const;

  /**
   * @param params kernel `[kh, kw, 1, channels·multiplier]`, bias `[channels·multiplier]`
   * @param channels input channels
   */
  constructor(
    readonly params: Params,
    readonly geometry: ConvGeometry,
    readonly channels: number,
  ) {
    if (geometry.dilation.some((d) => d !== 1) && geometry.strides.some((s) => s !== 1)) {
      throw new Error(
        'lrp: a depthwise conv with both dilation and strides > 1 is not supported (tfjs refuses it too).',
      );
    }
  }

  /** The tfjs kernel layout of a `[kh, kw, 1, channels·multiplier]` kernel. */
  static fromTfjsKernel(kernel: tf.Tensor): tf.Tensor {
    const [kh, kw, c, m] = kernel.shape;
    return tf.reshape(kernel, [kh, kw, 1, c * m]);
  }

  get multiplier(): number {
    return this.params.units / this.channels;
  }

  withParams(params: Params): DepthwiseConvOp {
    return new DepthwiseConvOp(params, this.geometry, this.channels);
  }

  private filter(p: Params): tf.Tensor4D {
    const [kh, kw] = p.kernel.shape;
    return p.derive('depthwise', () =>
      tf.reshape(p.kernel, [kh, kw, this.channels, p.units / this.channels]),
    ) as tf.Tensor4D;
  }

  forward(x: tf.Tensor, params: Params | null, bias?: tf.Tensor): tf.Tensor {
    const p = params ?? this.params;
    return tf.fused.depthwiseConv2d(fusedConvArgs(x, this.filter(p), bias ?? p.bias ?? undefined, this.geometry));
  }

  backward(s: tf.Tensor, params: Params | null, ctx: OpContext): tf.Tensor {
    return this.backwardMany(s, [params ?? this.params], ctx)[0];
  }

  /**
   * The transpose is itself a depthwise conv: of the (zero-interleaved, for strides > 1) signal with
   * the kernel flipped in space, padded so the output has the input's size; with a multiplier > 1 each
   * input channel sums its outputs. A forward depthwise conv runs on every backend (wasm has no
   * DepthwiseConv2dNativeBackpropInput kernel) and goes through XNNPACK there.
   */
  backwardMany(s: tf.Tensor, params: Params[], ctx: OpContext): tf.Tensor[] {
    const [, inH, inW] = ctx.input.shape;
    const g = this.geometry;
    const [m, , , cout] = s.shape;
    const [kh, kw] = params[0].kernel.shape;
    const { signal, pads, top, bottom, left, right } = transposeLayout(s, inH, inW, kh, kw, g);
    if (top < 0 || left < 0 || bottom < 0 || right < 0) {
      throw new Error(`lrp: cannot transpose a depthwise conv with padding ${JSON.stringify(pads)}`);
    }
    const padded = tf.pad(signal, [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ]) as tf.Tensor4D;
    const mult = this.multiplier;
    return params.map((p) => {
      // Output channel c·M + k read input channel c: as a depthwise conv over the signal's channels.
      const flipped = p.derive('depthwise-flipped', () =>
        tf.reshape(tf.reverse(p.kernel, [0, 1]), [kh, kw, cout, 1]),
      ) as tf.Tensor4D;
      const c = tf.depthwiseConv2d(padded, flipped, 1, 'valid', 'NHWC', g.dilation);
      return mult === 1 ? c : tf.sum(tf.reshape(c, [m, inH, inW, this.channels, mult]), 4);
    });
  }
}
