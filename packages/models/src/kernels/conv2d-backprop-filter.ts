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
import { useWinograd } from './conv2d';
import { simdConvPool } from './simd';
import { copyPadded, outputFromPool, vectors4 } from './simd/conv-data';

/**
 * Undilated filter gradients on lrpjs's SIMD module: one pass over the images per 4 filter rows, each
 * thread summing its own images into its own buffer (3–4× the XNNPACK formulation below on net1's
 * layers), or Winograd's transformed products where the forward pass would use Winograd. Null when the
 * module is off or the shapes are not its own.
 */
function simdFilterGradient(
  backend: WasmHeapBackend,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo | null {
  const pool = simdConvPool();
  if (pool == null || x.dtype !== 'float32' || dy.dtype !== 'float32') return null;
  const { batchSize: N, inChannels: Ci, outChannels: Co, outHeight: Ho, outWidth: Wo } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  if (dilationHeight !== 1 || dilationWidth !== 1) return null;
  const { top, left } = info.padInfo;
  if (top < 0 || left < 0) return null;
  const tiles = N * Math.ceil(Ho / 2) * Math.ceil(Wo / 2);
  const winograd = useWinograd(KH, KW, strideHeight, strideWidth, Ci, Co, tiles);
  // As in the forward pass: Winograd reads whole tiles (zeros past the image) of whole vectors of channels.
  const Hp = winograd ? 2 * Math.ceil(Ho / 2) + KH - 1 : (Ho - 1) * strideHeight + KH;
  const Wp = winograd ? 2 * Math.ceil(Wo / 2) + KW - 1 : (Wo - 1) * strideWidth + KW;
  const CiP = winograd ? vectors4(Ci) : Ci;
  const CoP = vectors4(Co);
  pool.reset();
  const xp = pool.alloc(N * Hp * Wp * CiP);
  const dyAt = pool.alloc(N * Ho * Wo * Co);
  const heap = pool.f32();
  copyPadded(backend.typedArrayFromHeap(x), heap, xp / 4, x.shape, top, left, Hp, Wp, CiP);
  heap.set(backend.typedArrayFromHeap(dy), dyAt / 4);
  if (winograd) {
    const R = KH as 3 | 5;
    const dw = pool.winogradFilterGrad({ xp, dy: dyAt, Hp, Wp, CiP, Ho, Wo, Co, CoP, R, N });
    // dw is [R, R, CiP, CoP]: rows of CoP floats, Ci of every CiP kept.
    return outputFromPool(backend, pool, dw, [KH, KW, Ci, Co], CoP, CiP);
  }
  const sum = pool.backpropFilter({
    xp,
    dy: dyAt,
    Hp,
    Wp,
    Ci,
    KH,
    KW,
    Ho,
    Wo,
    Co,
    CoP,
    sh: strideHeight,
    sw: strideWidth,
    N,
  });
  return outputFromPool(backend, pool, sum, [KH, KW, Ci, Co], CoP);
}

/**
 * `Conv2DBackpropFilter` for the wasm backend, which does not ship one.
 *
 * The filter gradient of `y = conv2d(x, W, stride s)` is
 *   dW[a, b, ci, co] = Σ_{n, i, j} x[n, i·s + a − padTop, j·s + b − padLeft, ci] · dy[n, i, j, co],
 * which is itself a forward convolution once the tensors are transposed: take the input channels `ci` as
 * the batch, the examples `n` as the channels, and `dy` as a (Ho × Wo × N × Co) filter dilated by `s`:
 *   dW' = conv2d(xᵀ[ci, h, w, n], dyᵀ[i, j, n, co], stride 1, dilation s, explicit padding)  → [ci, kh, kw, co]
 *   dW  = transpose(dW', [1, 2, 0, 3]).
 * This runs on XNNPACK's convolution (SIMD) instead of a scalar loop, and never leaves the wasm backend.
 */
function conv2DBackpropFilter(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: Attrs;
}): tf.TensorInfo {
  const { inputs, backend } = args;
  const attrs = (args.attrs ?? {}) as Attrs;
  const x = inputs.x as tf.TensorInfo;
  const dy = inputs.dy as tf.TensorInfo;
  const filterShape = attrs.filterShape as [number, number, number, number];
  const dataFormat = (attrs.dataFormat as string | undefined) ?? 'NHWC';
  if (dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new Error(`wasm Conv2DBackpropFilter supports only NHWC (channels-last) data, got '${dataFormat}'.`);
  }
  const [strideH, strideW] = pair(attrs.strides);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    [strideH, strideW],
    1,
    attrs.pad as 'same' | 'valid' | number,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
  const { filterHeight: kh, filterWidth: kw, inHeight: H, inWidth: W, outHeight: Ho, outWidth: Wo } = info;
  const { top, left } = info.padInfo;
  const { batchSize: N, inChannels: Ci, outChannels: Co } = info;

  // A window covering the whole unpadded input (net1's top conv) is a dense layer (below); the rest goes
  // to the SIMD module where it runs.
  const dense = Ho === 1 && Wo === 1 && kh === H && kw === W && top === 0 && left === 0;
  if (!dense) {
    const simd = simdFilterGradient(backend as unknown as WasmHeapBackend, x, dy, info);
    if (simd != null) return simd;
  }

  // A window covering the whole unpadded input (net1's top conv) is a dense layer: dW = xᵀ[K, N] · dy[N, Co]
  // with K = kh·kw·Ci, run as a 1×1 convolution over a 1×K "image" with N channels (XNNPACK GEMM).
  if (dense) {
    const K = kh * kw * Ci;
    const x2 = reshapeInfo(backend, x, [N, K]);
    const xT = transposeInfo(backend, x2, [1, 0]);
    disposeInfo(backend, x2);
    const image = reshapeInfo(backend, xT, [1, 1, K, N]);
    disposeInfo(backend, xT);
    const w = reshapeInfo(backend, dy, [1, 1, N, Co]);
    const prod = callKernel(
      'Conv2D',
      backend,
      { x: image, filter: w },
      { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] },
    );
    disposeInfo(backend, image);
    disposeInfo(backend, w);
    const dwDense = reshapeInfo(backend, prod, [kh, kw, Ci, Co]);
    disposeInfo(backend, prod);
    return dwDense;
  }

  // Padding that makes the transposed convolution produce exactly kh × kw positions. A negative value
  // means the forward pass never read the last rows/cols of x (stride leftovers): crop them instead.
  const bottom = kh + (Ho - 1) * strideH - H - top;
  const right = kw + (Wo - 1) * strideW - W - left;

  let xIn: tf.TensorInfo = x;
  const cropped = bottom < 0 || right < 0;
  if (cropped) {
    xIn = callKernel(
      'Slice',
      backend,
      { x },
      { begin: [0, 0, 0, 0], size: [-1, H + Math.min(bottom, 0), W + Math.min(right, 0), -1] },
    );
  }
  const xT = transposeInfo(backend, xIn, [3, 1, 2, 0]);
  if (cropped) disposeInfo(backend, xIn);
  const dyT = transposeInfo(backend, dy, [1, 2, 0, 3]);
  const dwT = callKernel(
    'Conv2D',
    backend,
    { x: xT, filter: dyT },
    {
      strides: [1, 1],
      pad: explicitPad(top, Math.max(bottom, 0), left, Math.max(right, 0)),
      dataFormat: 'NHWC',
      dilations: [strideH, strideW],
    },
  );
  disposeInfo(backend, xT);
  disposeInfo(backend, dyT);
  const dw = transposeInfo(backend, dwT, [1, 2, 0, 3]);
  disposeInfo(backend, dwT);
  return dw;
}

export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: WASM,
  kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc,
};
