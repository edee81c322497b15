import type * as tf from '@tensorflow/tfjs';
import type { WasmHeapBackend } from '../kernel-utils';
import type { SimdConvPool } from './conv-pool';

/** Moving tensors between the wasm backend's heap and the SIMD module's memory, in the layouts it expects. */

/**
 * Copies x [N, H, W, C] into dst at float offset `at` as [N, Hp, Wp, CP]: `top` zero rows and `left` zero
 * columns before it, zeros after it up to Hp × Wp and in channels C..CP, and rows/columns past Hp × Wp
 * (never read by a strided window) left out.
 */
export function copyPadded(
  x: Float32Array,
  dst: Float32Array,
  at: number,
  shape: readonly number[],
  top: number,
  left: number,
  Hp: number,
  Wp: number,
  CP = shape[3],
): void {
  const [N, H, W, C] = shape;
  if (top === 0 && left === 0 && Hp === H && Wp === W && CP === C) {
    dst.set(x.subarray(0, N * H * W * C), at);
    return;
  }
  dst.fill(0, at, at + N * Hp * Wp * CP);
  const rows = Math.min(H, Hp - top);
  const cols = Math.min(W, Wp - left);
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < rows; i++) {
      const src = (n * H + i) * W * C;
      const to = at + ((n * Hp + i + top) * Wp + left) * CP;
      if (CP === C) dst.set(x.subarray(src, src + cols * C), to);
      else for (let j = 0; j < cols; j++) for (let k = 0; k < C; k++) dst[to + j * CP + k] = x[src + j * C + k];
    }
  }
}

/** Copies a filter [KH, KW, Ci, Co] to dst as [KH, KW, Ci, CoP] with zero columns. */
export function packFilter(
  w: Float32Array,
  dst: Float32Array,
  at: number,
  rows: number,
  Co: number,
  CoP: number,
): void {
  if (Co === CoP) {
    dst.set(w.subarray(0, rows * Co), at);
    return;
  }
  dst.fill(0, at, at + rows * CoP);
  for (let r = 0; r < rows; r++) dst.set(w.subarray(r * Co, r * Co + Co), at + r * CoP);
}

/** Copies bias [Co] (or zeros when null) to dst as [CoP]. */
export function packBias(bias: Float32Array | null, dst: Float32Array, at: number, Co: number, CoP: number): void {
  dst.fill(0, at, at + CoP);
  if (bias != null) dst.set(bias.subarray(0, Co), at);
}

/** Rounds a channel count up to whole 4-lane vectors. */
export function vectors4(c: number): number {
  return Math.ceil(c / 4) * 4;
}

/**
 * A new tensor of the backend holding `shape` from the pool's memory at byte address `at`, stored as rows of
 * `stride` floats of which the first shape[last] are kept (default: packed rows), in groups of `rowsPerGroup`
 * rows of which the first shape[last − 1] are kept (default: no padding rows).
 */
export function outputFromPool(
  backend: WasmHeapBackend,
  pool: SimdConvPool,
  at: number,
  shape: number[],
  stride = shape[shape.length - 1],
  rowsPerGroup = shape[shape.length - 2] ?? 1,
): tf.TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  const dst = backend.typedArrayFromHeap(out);
  const src = pool.f32();
  const from = at / 4;
  const width = shape[shape.length - 1];
  const kept = shape[shape.length - 2] ?? 1;
  if (stride === width && rowsPerGroup === kept) dst.set(src.subarray(from, from + dst.length));
  else
    for (let r = 0; r < dst.length / width; r++) {
      const s = from + (Math.floor(r / kept) * rowsPerGroup + (r % kept)) * stride;
      dst.set(src.subarray(s, s + width), r * width);
    }
  return out;
}
