import * as tf from '@tensorflow/tfjs';
import { Attrs, WASM, type WasmHeapBackend } from './kernel-utils';
import { simdConvPool } from './simd';
import { outputFromPool } from './simd/conv-data';

/**
 * `MaxPoolGrad` for the wasm backend, replacing the shipped one (a per-input-pixel loop that rescans
 * every window covering the pixel: ~15 ms for the first pooling layer of net1 at batch 25, as long as
 * the convolution before it).
 *
 * One pass over the pooling windows, directly on the wasm heap (no copy, nothing leaves the backend):
 * find each window's maximum — the first strict maximum in row-major window order, the tie rule of
 * tfjs's cpu kernel — and add the upstream gradient there. Channels are the innermost loop, so x and
 * dy are read contiguously.
 */
function maxPoolGrad(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: Attrs }): tf.TensorInfo {
  const { inputs } = args;
  const backend = args.backend as unknown as WasmHeapBackend;
  const attrs = (args.attrs ?? {}) as Attrs;
  const dy = inputs.dy as tf.TensorInfo;
  const x = inputs.input as tf.TensorInfo;
  const info = tf.backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterSize as [number, number] | number,
    attrs.strides as [number, number] | number,
    1,
    attrs.pad as 'same' | 'valid' | number,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const { top, left } = info.padInfo;

  const twoByTwo =
    fh === 2 && fw === 2 && sh === 2 && sw === 2 && top === 0 && left === 0 && 2 * Ho <= H && 2 * Wo <= W;
  const simd = twoByTwo && x.dtype === 'float32' ? simdConvPool() : null;
  if (simd != null) {
    // The same rule on lrpjs's SIMD module, 4 channels per instruction on every thread.
    simd.reset();
    const xAt = simd.alloc(N * H * W * C);
    const dyAt = simd.alloc(N * Ho * Wo * C);
    const dxAt = simd.alloc(N * H * W * C);
    const heap = simd.f32();
    heap.set(backend.typedArrayFromHeap(x), xAt / 4);
    heap.set(backend.typedArrayFromHeap(dy), dyAt / 4);
    if (H !== 2 * Ho || W !== 2 * Wo) heap.fill(0, dxAt / 4, dxAt / 4 + N * H * W * C);
    simd.maxPool2x2Grad({ x: xAt, dy: dyAt, dx: dxAt, H, W, C, Ho, Wo, N });
    return outputFromPool(backend, simd, dxAt, x.shape);
  }
  const out = backend.makeOutput(x.shape, 'float32');
  // Views are taken after the allocation: growing the heap detaches earlier views.
  const xv = backend.typedArrayFromHeap(x);
  const dyv = backend.typedArrayFromHeap(dy);
  const dx = backend.typedArrayFromHeap(out);
  if (twoByTwo) {
    pool2x2Grad(xv, dyv, dx, N, H, W, C, Ho, Wo);
    return out;
  }
  dx.fill(0);
  const best = new Float32Array(C);
  const pos = new Int32Array(C);
  for (let b = 0; b < N; b++) {
    for (let i = 0; i < Ho; i++) {
      const r0 = i * sh - top;
      const rMin = Math.max(0, r0);
      const rMax = Math.min(H, r0 + fh);
      for (let j = 0; j < Wo; j++) {
        const c0 = j * sw - left;
        const cMin = Math.max(0, c0);
        const cMax = Math.min(W, c0 + fw);
        best.fill(Number.NEGATIVE_INFINITY);
        pos.fill(-1);
        for (let r = rMin; r < rMax; r++) {
          for (let c = cMin; c < cMax; c++) {
            const base = ((b * H + r) * W + c) * C;
            for (let d = 0; d < C; d++) {
              const v = xv[base + d];
              if (v > best[d]) {
                best[d] = v;
                pos[d] = base + d;
              }
            }
          }
        }
        const dyBase = ((b * Ho + i) * Wo + j) * C;
        for (let d = 0; d < C; d++) {
          const p = pos[d];
          if (p >= 0) dx[p] += dyv[dyBase + d];
        }
      }
    }
  }
  return out;
}

/**
 * The nets' case (2×2 windows, stride 2, no padding): windows do not overlap, so every dx element is
 * written exactly once (no zero-fill pass, no accumulation).
 */
function pool2x2Grad(
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  N: number,
  H: number,
  W: number,
  C: number,
  Ho: number,
  Wo: number,
): void {
  if (H !== 2 * Ho || W !== 2 * Wo) dx.fill(0); // odd size: the last row/col belongs to no window
  const row = W * C;
  for (let b = 0; b < N; b++) {
    for (let i = 0; i < Ho; i++) {
      for (let j = 0; j < Wo; j++) {
        const p00 = ((b * H + 2 * i) * W + 2 * j) * C;
        const p01 = p00 + C;
        const p10 = p00 + row;
        const p11 = p10 + C;
        const g0 = ((b * Ho + i) * Wo + j) * C;
        for (let d = 0; d < C; d++) {
          // First strict maximum in window order 00, 01, 10, 11 (tfjs cpu's tie rule); none if all are −∞/NaN.
          let m = Number.NEGATIVE_INFINITY;
          let k = -1;
          const v0 = x[p00 + d];
          const v1 = x[p01 + d];
          const v2 = x[p10 + d];
          const v3 = x[p11 + d];
          if (v0 > m) {
            m = v0;
            k = 0;
          }
          if (v1 > m) {
            m = v1;
            k = 1;
          }
          if (v2 > m) {
            m = v2;
            k = 2;
          }
          if (v3 > m) {
            k = 3;
          }
          const g = dy[g0 + d];
          dx[p00 + d] = k === 0 ? g : 0;
          dx[p01 + d] = k === 1 ? g : 0;
          dx[p10 + d] = k === 2 ? g : 0;
          dx[p11 + d] = k === 3 ? g : 0;
        }
      }
    }
  }
}

/**
 * The registered config carries `firstMaxFromMinusInfinity: true` so other packages (@lrpjs/lrp's op
 * strategy) can tell this kernel, which routes every window's gradient to its first maximum whatever
 * the sign of the values, from the shipped one (which starts its search at FLT_MIN and drops windows
 * whose values are all ≤ 0), without importing this package.
 */
export const maxPoolGradConfig: tf.KernelConfig & { firstMaxFromMinusInfinity: true } = {
  kernelName: 'MaxPoolGrad',
  backendName: WASM,
  kernelFunc: maxPoolGrad as unknown as tf.KernelFunc,
  firstMaxFromMinusInfinity: true,
};
