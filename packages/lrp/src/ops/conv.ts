import * as tf from '@tensorflow/tfjs';
import type { LinearOp, OpContext } from '../graph/types';
import type { Params } from '../graph/params';
import { splitLastAxis } from './split';
import { opStrategy } from './strategy';

/** Geometry of a channels-last Conv2D. */
export interface ConvGeometry {
  strides: [number, number];
  padding: 'same' | 'valid';
  dilation: [number, number];
}

/** The arguments of `tf.fused.conv2d` and `tf.fused.depthwiseConv2d` for a geometry. */
export function fusedConvArgs(x: tf.Tensor, filter: tf.Tensor, bias: tf.Tensor | undefined, g: ConvGeometry) {
  return {
    x: x as tf.Tensor4D,
    filter: filter as tf.Tensor4D,
    bias,
    strides: g.strides,
    pad: g.padding,
    dilations: g.dilation,
  };
}

export interface Pads {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** tfjs/TF padding of a conv (same formula as tfjs' computeConv2DInfo). */
export function forwardPads(inH: number, inW: number, kh: number, kw: number, g: ConvGeometry): Pads {
  if (g.padding === 'valid') return { top: 0, bottom: 0, left: 0, right: 0 };
  const along = (size: number, k: number, stride: number) => {
    const out = Math.ceil(size / stride);
    const total = Math.max(0, (out - 1) * stride + k - size);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  };
  const [top, bottom] = along(inH, kh, g.strides[0]);
  const [left, right] = along(inW, kw, g.strides[1]);
  return { top, bottom, left, right };
}

/** The upper signal of a conv laid out so that its transpose is a forward conv, and the padding that needs. */
export interface TransposeLayout {
  /** The signal, zero-interleaved for strides > 1. */
  signal: tf.Tensor4D;
  /** The forward conv's padding. */
  pads: Pads;
  /** Padding of the signal so that the forward conv's output has the input's size (negative: not possible). */
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/**
 * Lays out the upper signal `s` of a conv (kernel `kh`×`kw`, input `inH`×`inW`) for its transpose as a
 * forward conv with the kernel flipped in space: zeros between the positions for strides > 1, and the
 * padding that makes the output the input's size. Shared by the conv and the depthwise conv.
 */
export function transposeLayout(
  s: tf.Tensor,
  inH: number,
  inW: number,
  kh: number,
  kw: number,
  g: ConvGeometry,
): TransposeLayout {
  const [m, oh, ow, cout] = s.shape;
  const effH = (kh - 1) * g.dilation[0] + 1;
  const effW = (kw - 1) * g.dilation[1] + 1;
  const pads = forwardPads(inH, inW, effH, effW, g);
  const [sh, sw] = g.strides;
  let signal = s as tf.Tensor4D;
  let spanH = oh;
  let spanW = ow;
  if (sh > 1 || sw > 1) {
    spanH = (oh - 1) * sh + 1;
    spanW = (ow - 1) * sw + 1;
    const interleaved = tf.pad(tf.reshape(s, [m, oh, 1, ow, 1, cout]), [
      [0, 0],
      [0, 0],
      [0, sh - 1],
      [0, 0],
      [0, sw - 1],
      [0, 0],
    ]);
    signal = tf.slice(
      tf.reshape(interleaved, [m, oh * sh, ow * sw, cout]) as tf.Tensor4D,
      [0, 0, 0, 0],
      [m, spanH, spanW, cout],
    );
  }
  return {
    signal,
    pads,
    top: effH - 1 - pads.top,
    left: effW - 1 - pads.left,
    bottom: inH - spanH + pads.top,
    right: inW - spanW + pads.left,
  };
}

function stackKey(params: Params[]): string {
  return params.map((p) => p.id).join(',');
}

/** Conv2D (NHWC, kernel HWIO) as a linear op. */
export class ConvOp implements LinearOp {
  readonly type = 'conv' as const;

  constructor(
    readonly params: Params,
    readonly geometry: ConvGeometry,
  ) {}

  withParams(params: Params): ConvOp {
    return new ConvOp(params, this.geometry);
  }

  forward(x: tf.Tensor, params: Params | null, bias?: tf.Tensor): tf.Tensor {
    const p = params ?? this.params;
    return tf.fused.conv2d(fusedConvArgs(x, p.kernel, bias ?? p.bias ?? undefined, this.geometry));
  }

  backward(s: tf.Tensor, params: Params | null, ctx: OpContext): tf.Tensor {
    return this.backwardMany(s, [params ?? this.params], ctx)[0];
  }

  backwardMany(s: tf.Tensor, params: Params[], ctx: OpContext): tf.Tensor[] {
    const [kh, kw] = params[0].kernel.shape;
    const [, inH, inW] = ctx.input.shape;
    // Several parameter sets share one pass: kernels stacked along the input-channel axis give all the
    // Σ_k ρ(w_jk) s_k at once, as extra output channels of the transposed conv.
    const kernel =
      params.length === 1
        ? params[0].kernel
        : params[0].derive(`stack:${stackKey(params)}`, () =>
            tf.concat(
              params.map((p) => p.kernel),
              2,
            ),
          );
    const key = params.length === 1 ? '' : stackKey(params);
    const c = this.transpose(s as tf.Tensor4D, kernel as tf.Tensor4D, params[0], key, inH, inW, kh, kw);
    return params.length === 1 ? [c] : splitLastAxis(c, params.length);
  }

  /** Σ_k w_jk s_k over the conv's output positions k that read input position j. */
  private transpose(
    s: tf.Tensor4D,
    kernel: tf.Tensor4D,
    owner: Params,
    key: string,
    inH: number,
    inW: number,
    kh: number,
    kw: number,
  ): tf.Tensor4D {
    const g = this.geometry;
    const m = s.shape[0];
    const cin = kernel.shape[2];
    const cout = kernel.shape[3];
    const [dh, dw] = g.dilation;
    // A conv whose kernel covers the whole input (the tutorial's 8×8 top layer) is a dense layer:
    // a matmul beats any conv route by the kernel area.
    if (g.padding === 'valid' && dh === 1 && dw === 1 && inH === kh && inW === kw) {
      // Kept as [cout, kh·kw·cin]: a product without transpose flags (wasm's BatchMatMul with transposeB
      // took 1.9 ms for net1's 8 × 19 × 6400, a third of that without).
      const flatT = owner.derive(`denseT:${key}`, () => tf.transpose(tf.reshape(kernel, [kh * kw * cin, cout])));
      return tf.reshape(tf.matMul(tf.reshape(s, [m, cout]), flatT), [m, kh, kw, cin]);
    }
    const strategy = opStrategy();
    if (strategy.convTranspose === 'native' && dh === 1 && dw === 1) {
      return tf.conv2dTranspose(s, kernel, [m, inH, inW, cin], g.strides, g.padding);
    }
    // Transposed conv = forward conv of the laid-out signal with the kernel flipped in space and in/out
    // channels swapped.
    const flipped = owner.derive(`flipped:${key}`, () => tf.transpose(tf.reverse(kernel, [0, 1]), [0, 1, 3, 2]));
    const { signal, pads, top, bottom, left, right } = transposeLayout(s, inH, inW, kh, kw, g);
    if (top < 0 || left < 0 || bottom < 0 || right < 0) {
      if (dh !== 1 || dw !== 1) {
        throw new Error(`lrp: cannot transpose conv with padding ${JSON.stringify(pads)} and dilation ${g.dilation}`);
      }
      return tf.conv2dTranspose(s, kernel, [m, inH, inW, cin], g.strides, g.padding);
    }
    return tf.conv2d(
      signal,
      flipped as tf.Tensor4D,
      1,
      [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      'NHWC',
      g.dilation,
    );
  }
}
