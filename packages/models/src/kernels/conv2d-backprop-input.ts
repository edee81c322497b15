import * as tf from '@tensorflow/tfjs';
import {
  Attrs,
  WASM,
  callKernel,
  disposeInfo,
  explicitPad,
  pair,
  reshapeInfo,
  transposeInfo,
  type WasmHeapBackend,
} from './kernel-utils';
import { simdConvolve } from './conv2d';
import { simdConvPool } from './simd';

/**
 * Stride-1 input gradients as one forward pass of lrpjs's SIMD module: dy padded by kernel − 1 − pad
 * against the rotated filter with its channels swapped, rotated while it is copied into the module's
 * memory (no Reverse/Transpose kernels, no intermediate tensors). Null when the module is off.
 */
function simdInputGradient(
  backend: WasmHeapBackend,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo | null {
  const pool = simdConvPool();
  if (pool == null || dy.dtype !== 'float32' || filter.dtype !== 'float32') return null;
  if (info.strideHeight !== 1 || info.strideWidth !== 1 || info.dilationHeight !== 1 || info.dilationWidth !== 1) {
    return null;
  }
  const { inHeight: H, inWidth: W, inChannels: Ci, outChannels: Co } = info;
  const { filterHeight: KH, filterWidth: KW } = info;
  const padTop = KH - 1 - info.padInfo.top;
  const padLeft = KW - 1 - info.padInfo.left;
  if (padTop < 0 || padLeft < 0) return null;
  // dx is a stride-1 convolution of dy (Co channels) into Ci channels, against
  // W'[a, b, co, ci] = W[KH − 1 − a, KW − 1 − b, ci, co], rotated while it is written.
  const f = backend.typedArrayFromHeap(filter);
  return simdConvolve(backend, pool, {
    x: backend.typedArrayFromHeap(dy),
    xShape: dy.shape,
    KH,
    KW,
    Co: Ci,
    Ho: H,
    Wo: W,
    sh: 1,
    sw: 1,
    top: padTop,
    left: padLeft,
    writeFilter: (heap, at, CiP) => {
      heap.fill(0, at, at + KH * KW * Co * CiP);
      for (let a = 0; a < KH; a++) {
        for (let b = 0; b < KW; b++) {
          const src = ((KH - 1 - a) * KW + (KW - 1 - b)) * Ci * Co;
          const dst = at + (a * KW + b) * Co * CiP;
          for (let ci = 0; ci < Ci; ci++) {
            for (let co = 0; co < Co; co++) heap[dst + co * CiP + ci] = f[src + ci * Co + co];
          }
        }
      }
    },
    bias: null,
    relu: false,
  });
}

/**
 * `Conv2DBackpropInput` for the wasm backend, replacing the shipped one (a scalar loop, ~10× slower than
 * the forward convolution on the nets' shapes).
 *
 * The input gradient of `y = conv2d(x, W, stride s)` is a full correlation of `dy`, with zeros inserted
 * between its rows/cols when s > 1, against the kernel rotated by 180° with in/out channels swapped:
 *   dx = conv2d(dilate_s(dy), reverse(W, [0, 1])ᵀ[kh, kw, co, ci], stride 1,
 *               padding top = kh − 1 − padTop, bottom = H − 1 − (Ho − 1)·s + padTop (likewise for width)).
 */
function conv2DBackpropInput(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: Attrs;
}): tf.TensorInfo {
  const { inputs, backend } = args;
  const attrs = (args.attrs ?? {}) as Attrs;
  const dy = inputs.dy as tf.TensorInfo;
  const filter = inputs.filter as tf.TensorInfo;
  const inputShape = attrs.inputShape as [number, number, number, number];
  const dataFormat = (attrs.dataFormat as string | undefined) ?? 'NHWC';
  if (dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new Error(`wasm Conv2DBackpropInput supports only NHWC (channels-last) data, got '${dataFormat}'.`);
  }
  const [strideH, strideW] = pair(attrs.strides);
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    [strideH, strideW],
    1,
    attrs.pad as 'same' | 'valid' | number,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
  const {
    batchSize: N,
    filterHeight: kh,
    filterWidth: kw,
    inHeight: H,
    inWidth: W,
    outHeight: Ho,
    outWidth: Wo,
    outChannels: Co,
  } = info;
  const { top, left } = info.padInfo;
  const inCh = info.inChannels;

  // A convolution whose window covers the whole (unpadded) input is a dense layer — net1's top 8×8
  // conv — and its input gradient a single product dy[N, Co] · Wᵀ[Co, kh·kw·Ci]. The general path would
  // correlate a 1×1 dy padded to (2k−1)² with the kernel, mostly multiplying zeros. (Transposing W first
  // and multiplying without transpose flags is 3× faster than BatchMatMul's transposeB here.)
  if (Ho === 1 && Wo === 1 && kh === H && kw === W && top === 0 && left === 0) {
    const a = reshapeInfo(backend, dy, [1, N, Co]);
    const w2 = reshapeInfo(backend, filter, [kh * kw * inCh, Co]);
    const wT = transposeInfo(backend, w2, [1, 0]);
    disposeInfo(backend, w2);
    const b = reshapeInfo(backend, wT, [1, Co, kh * kw * inCh]);
    disposeInfo(backend, wT);
    const prod = callKernel('BatchMatMul', backend, { a, b }, { transposeA: false, transposeB: false });
    disposeInfo(backend, a);
    disposeInfo(backend, b);
    const dxDense = reshapeInfo(backend, prod, [N, H, W, inCh]);
    disposeInfo(backend, prod);
    return dxDense;
  }

  const simd = simdInputGradient(backend as unknown as WasmHeapBackend, dy, filter, info);
  if (simd != null) return simd;

  // Rotated kernel with swapped channels: [kh, kw, Co, Ci]. Small (weights only).
  const flipped = callKernel('Reverse', backend, { x: filter }, { dims: [0, 1] });
  const kernel = transposeInfo(backend, flipped, [0, 1, 3, 2]);
  disposeInfo(backend, flipped);

  // Zero insertion for strides > 1: [N, Ho, 1, Wo, 1, Co] padded to [N, Ho, sh, Wo, sw, Co]. The dilated
  // tensor then carries sh − 1 (sw − 1) trailing zero rows (cols) that the bottom (right) padding absorbs.
  let input = dy;
  let extraH = 0;
  let extraW = 0;
  if (strideH > 1 || strideW > 1) {
    const r6 = reshapeInfo(backend, dy, [N, Ho, 1, Wo, 1, Co]);
    const padded = callKernel(
      'PadV2',
      backend,
      { x: r6 },
      {
        paddings: [
          [0, 0],
          [0, 0],
          [0, strideH - 1],
          [0, 0],
          [0, strideW - 1],
          [0, 0],
        ],
        constantValue: 0,
      },
    );
    disposeInfo(backend, r6);
    input = reshapeInfo(backend, padded, [N, Ho * strideH, Wo * strideW, Co]);
    disposeInfo(backend, padded);
    extraH = strideH - 1;
    extraW = strideW - 1;
  }
  let bottom = H - 1 - (Ho - 1) * strideH + top - extraH;
  let right = W - 1 - (Wo - 1) * strideW + left - extraW;
  if (bottom < 0 || right < 0) {
    const cropped = callKernel(
      'Slice',
      backend,
      { x: input },
      {
        begin: [0, 0, 0, 0],
        size: [-1, input.shape[1] + Math.min(bottom, 0), input.shape[2] + Math.min(right, 0), -1],
      },
    );
    if (input !== dy) disposeInfo(backend, input);
    input = cropped;
    bottom = Math.max(bottom, 0);
    right = Math.max(right, 0);
  }
  const dx = callKernel(
    'Conv2D',
    backend,
    { x: input, filter: kernel },
    {
      strides: [1, 1],
      pad: explicitPad(kh - 1 - top, bottom, kw - 1 - left, right),
      dataFormat: 'NHWC',
      dilations: [1, 1],
    },
  );
  if (input !== dy) disposeInfo(backend, input);
  disposeInfo(backend, kernel);
  return dx;
}

export const conv2DBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: WASM,
  kernelFunc: conv2DBackpropInput as unknown as tf.KernelFunc,
};
