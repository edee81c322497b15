import * as tf from '@tensorflow/tfjs';
import { Attrs, WASM, originalKernel, pair, type WasmHeapBackend } from './kernel-utils';
import { simdConvPool } from './simd';
import type { SimdConvPool } from './simd';
import { copyPadded, outputFromPool, packBias, packFilter, vectors4 } from './simd/conv-data';

/** One convolution on lrpjs's SIMD module, in the terms both the forward kernels and the input gradient use. */
export interface SimdConvolution {
  /** Input values [N, H, W, Ci] (a view of the backend's heap). */
  x: Float32Array;
  xShape: readonly number[];
  KH: number;
  KW: number;
  Co: number;
  Ho: number;
  Wo: number;
  sh: number;
  sw: number;
  /** Zero rows above and columns left of the input. */
  top: number;
  left: number;
  /** Writes the filter at float offset `at` as [KH, KW, Ci, CoP] (zeros in the padding columns). */
  writeFilter(heap: Float32Array, at: number, CoP: number): void;
  bias: Float32Array | null;
  relu: boolean;
}

/**
 * Runs `c` on the pool — Winograd where {@link useWinograd} says so, the direct tiles otherwise — and
 * returns the output [N, Ho, Wo, Co] as a new tensor of the backend.
 */
export function simdConvolve(backend: WasmHeapBackend, pool: SimdConvPool, c: SimdConvolution): tf.TensorInfo {
  const [N, , , Ci] = c.xShape;
  const { KH, KW, Co, Ho, Wo, sh, sw } = c;
  const pixels = N * Ho * Wo;
  const winograd = useWinograd(KH, KW, sh, sw, Ci, Co, N * Math.ceil(Ho / 2) * Math.ceil(Wo / 2));
  // The rows and columns the windows read (Winograd: whole (R+1)×(R+1) tiles, zeros past the image), and
  // the channels: Winograd's GEMMs take whole vectors of input channels, padded with zeros.
  const Hp = winograd ? 2 * Math.ceil(Ho / 2) + KH - 1 : (Ho - 1) * sh + KH;
  const Wp = winograd ? 2 * Math.ceil(Wo / 2) + KW - 1 : (Wo - 1) * sw + KW;
  const CiP = winograd ? vectors4(Ci) : Ci;
  const CoP = vectors4(Co);
  pool.reset();
  const xp = pool.alloc(N * Hp * Wp * CiP);
  const w = pool.alloc(KH * KW * Ci * CoP);
  const b = pool.alloc(CoP);
  const y = pool.alloc(pixels * Co);
  const heap = pool.f32();
  copyPadded(c.x, heap, xp / 4, c.xShape, c.top, c.left, Hp, Wp, CiP);
  c.writeFilter(heap, w / 4, CoP);
  packBias(c.bias, heap, b / 4, Co, CoP);
  if (winograd) {
    const R = KH as 3 | 5;
    pool.winograd({ xp, w, bias: b, y, Hp, Wp, Ci, CiP, Ho, Wo, Co, CoP, relu: c.relu, R, N });
  } else pool.forward({ xp, w, bias: b, y, Hp, Wp, Ci, KH, KW, Ho, Wo, Co, CoP, relu: c.relu, sh, sw, pixels });
  return outputFromPool(backend, pool, y, [N, Ho, Wo, Co]);
}

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
  const { inChannels: Ci, outChannels: Co, outHeight: Ho, outWidth: Wo } = info;
  const { filterHeight: KH, filterWidth: KW } = info;
  const { top, left } = info.padInfo;
  if (top < 0 || left < 0) return null;
  if (bias != null && bias.shape.reduce((a, b) => a * b, 1) !== Co) return null;
  // One output pixel per image over a long window (a dense layer written as a convolution, like net1's
  // 8×8 top conv): too few tiles to share out, where XNNPACK's GEMM splits the reduction (0.25 vs 0.8 ms).
  if (Ho * Wo === 1 || info.batchSize === 0) return null;
  const f = backend.typedArrayFromHeap(filter);
  return simdConvolve(backend, pool, {
    x: backend.typedArrayFromHeap(x),
    xShape: x.shape,
    KH,
    KW,
    Co,
    Ho,
    Wo,
    sh,
    sw,
    top,
    left,
    writeFilter: (heap, at, CoP) => packFilter(f, heap, at, KH * KW * Ci, Co, CoP),
    bias: bias == null ? null : backend.typedArrayFromHeap(bias),
    relu,
  });
}

/**
 * Winograd F(2×2, r×r) for 3×3 and 5×5 stride-1 layers where the fewer multiplies (2.25×, 2.8×) outweigh
 * the transforms, and at least 64 output tiles of 2×2 (with fewer, the per-call filter transform
 * dominates: 8 × 4×4 × 256 channels, 4.0 vs 3.3 ms).
 * - 3×3: channel counts in whole vectors and at least 64 (at 32 the GEMMs are too short: the face
 *   backbone's 32-channel layers ran 5.4 ms per call against 4.2 ms direct). VGG's layers, the face
 *   backbone's 64–256-channel layers and their input gradients qualify.
 * - 5×5: at least 16 input and output channels (input channels padded to whole vectors). net1's conv3
 *   (25 → 100) and its input gradient qualify and run 1.4–1.7× faster (25 images, 2 threads: 13.6 → 9.6
 *   and 15.3 → 10.6 ms); conv2 (10 → 25) ran slower (7.9 → 9.9 ms) and stays direct.
 * Env `LRPJS_WINOGRAD=0` turns it off.
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
  if (KH !== KW || sh !== 1 || sw !== 1) return false;
  if (KH === 3) {
    if (Ci % 4 !== 0 || Co % 4 !== 0 || Ci < 64 || Co < 64 || tiles < 64) return false;
  } else if (KH === 5) {
    if (Ci < 16 || Co < 16 || tiles < 64) return false;
  } else return false;
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
