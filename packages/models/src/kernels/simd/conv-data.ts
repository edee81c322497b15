/** Moving tensors between the wasm backend's heap and the SIMD module's memory, in the layouts it expects. */

/**
 * Copies x [N, H, W, C] into dst at float offset `at` as [N, Hp, Wp, C]: `top` zero rows and `left` zero
 * columns before it, zeros after it up to Hp × Wp, and rows/columns past Hp × Wp (never read by a
 * strided window) left out.
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
): void {
  const [N, H, W, C] = shape;
  if (top === 0 && left === 0 && Hp === H && Wp === W) {
    dst.set(x.subarray(0, N * H * W * C), at);
    return;
  }
  dst.fill(0, at, at + N * Hp * Wp * C);
  const rows = Math.min(H, Hp - top);
  const row = Math.min(W, Wp - left) * C;
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < rows; i++) {
      const src = (n * H + i) * W * C;
      dst.set(x.subarray(src, src + row), at + ((n * Hp + i + top) * Wp + left) * C);
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
