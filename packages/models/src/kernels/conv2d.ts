import * as tf from '@tensorflow/tfjs';
import { Attrs, WASM, originalKernel, pair, type WasmHeapBackend } from './kernel-utils';
import { simdConvPool } from './simd';
import { copyPadded, packBias, packFilter, vectors4 } from './simd/conv-data';

/**
 * `Conv2D` and `FusedConv2D` for the wasm backend: undilated, channels-last convolutions (every
 * convolution of the tutorial's nets, VGG, the face backbone and the input gradients) run on lrpjs's SIMD
 * module with its thread pool; the rest — dilations, activations other than linear/ReLU, dense-like
 * layers, browsers — goes to the backend's own XNNPACK kernel.
 */
function simdConv2D(
  backend: WasmHeapBackend,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  attrs: Attrs,
  bias: tf.TensorInfo | null,
  relu: boolean,
): tf.TensorInfo | null {
  const pool = simdConvPool();
  if (pool == null) return null;
  const dataFormat = (attrs.dataFormat as string | undefined) ?? 'NHWC';
  if (dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') return null;
  const [sh, sw] = pair(attrs.strides ?? 1);
  const [dh, dw] = pair(attrs.dilations ?? 1);
  if (dh !== 1 || dw !== 1) return null;
  if (x.dtype !== 'float32' || filter.dtype !== 'float32') return null;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    [sh, sw],
    [1, 1],
    attrs.pad as 'same' | 'valid' | number,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
  const { batchSize: N, inChannels: Ci, outChannels: Co, outHeight: Ho, outWidth: Wo } = info;
  const { filterHeight: KH, filterWidth: KW } = info;
  const { top, left } = info.padInfo;
  if (top < 0 || left < 0) return null;
  if (bias != null && bias.shape.reduce((a, b) => a * b, 1) !== Co) return null;
  const pixels = N * Ho * Wo;
  // One output pixel per image over a long window (a dense layer written as a convolution, like net1's
  // 8×8 top conv): too few tiles to share out, where XNNPACK's GEMM splits the reduction (0.25 vs 0.8 ms).
  if (Ho * Wo === 1 || pixels === 0) return null;

  const winograd = useWinograd(KH, KW, sh, sw, Ci, Co, N * Math.ceil(Ho / 2) * Math.ceil(Wo / 2));
  // The rows and columns the windows read (Winograd: whole 4×4 tiles, zeros past the image).
  const Hp = winograd ? 2 * Math.ceil(Ho / 2) + 2 : (Ho - 1) * sh + KH;
  const Wp = winograd ? 2 * Math.ceil(Wo / 2) + 2 : (Wo - 1) * sw + KW;
  const CoP = vectors4(Co);
  pool.reset();
  const xp = pool.alloc(N * Hp * Wp * Ci);
  const w = pool.alloc(KH * KW * Ci * CoP);
  const b = pool.alloc(CoP);
  const y = pool.alloc(pixels * Co);
  const heap = pool.f32();
  copyPadded(backend.typedArrayFromHeap(x), heap, xp / 4, x.shape, top, left, Hp, Wp);
  packBias(bias == null ? null : backend.typedArrayFromHeap(bias), heap, b / 4, Co, CoP);
  if (winograd) {
    // The filter untransformed [3, 3, Ci, Co]; the module transforms it into its own buffer.
    heap.set(backend.typedArrayFromHeap(filter).subarray(0, 9 * Ci * Co), w / 4);
    pool.winograd({ xp, w, bias: b, y, Hp, Wp, Ci, Ho, Wo, Co, CoP, relu, N });
  } else {
    packFilter(backend.typedArrayFromHeap(filter), heap, w / 4, KH * KW * Ci, Co, CoP);
    pool.forward({ xp, w, bias: b, y, Hp, Wp, Ci, KH, KW, Ho, Wo, Co, CoP, relu, sh, sw, pixels });
  }
  const out = backend.makeOutput([N, Ho, Wo, Co], 'float32');
  backend.typedArrayFromHeap(out).set(pool.f32().subarray(y / 4, y / 4 + pixels * Co));
  return out;
}

/**
 * Winograd F(2×2, 3×3) for 3×3 stride-1 layers where the 2.25× fewer multiplies outweigh the transforms:
 * channel counts in whole vectors and at least 64 (at 32 the GEMMs are too short: the face backbone's
 * 32-channel layers ran 5.4 ms per call against 4.2 ms direct), and at least 64 output tiles of 2×2 (with
 * fewer, the per-call filter transform dominates: 8 × 4×4 × 256 channels, 4.0 vs 3.3 ms). VGG's layers,
 * the face backbone's 64–256-channel layers and their input gradients qualify. Env `LRPJS_WINOGRAD=0`
 * turns it off.
 */
export function useWinograd(
  KH: number,
  KW: number,
  sh: number,
  sw: number,
  Ci: number,
  Co: number,
  tiles: number,
): boolean {
  if (KH !== 3 || KW !== 3 || sh !== 1 || sw !== 1) return false;
  if (Ci % 4 !== 0 || Co % 4 !== 0 || Ci < 64 || Co < 64 || tiles < 64) return false;
  return typeof process === 'undefined' || process.env?.LRPJS_WINOGRAD !== '0';
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: Attrs };

function conv2D(args: KernelArgs): tf.TensorInfo {
  const attrs = (args.attrs ?? {}) as Attrs;
  const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
  const out = simdConv2D(args.backend as unknown as WasmHeapBackend, x, filter, attrs, null, false);
  if (out != null) return out;
  return originalKernel('Conv2D').kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
}

function fusedConv2D(args: KernelArgs): tf.TensorInfo {
  const attrs = (args.attrs ?? {}) as Attrs;
  const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
  const activation = (attrs.activation as string | undefined) ?? 'linear';
  if (preluActivationWeights == null && (activation === 'linear' || activation === 'relu')) {
    const out = simdConv2D(
      args.backend as unknown as WasmHeapBackend,
      x as tf.TensorInfo,
      filter as tf.TensorInfo,
      attrs,
      bias ?? null,
      activation === 'relu',
    );
    if (out != null) return out;
  }
  return originalKernel('FusedConv2D').kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
}

export const conv2DConfig: tf.KernelConfig = {
  kernelName: 'Conv2D',
  backendName: WASM,
  kernelFunc: conv2D as unknown as tf.KernelFunc,
};

export const fusedConv2DConfig: tf.KernelConfig = {
  kernelName: 'FusedConv2D',
  backendName: WASM,
  kernelFunc: fusedConv2D as unknown as tf.KernelFunc,
};
