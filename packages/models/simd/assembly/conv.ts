/**
 * Undilated 2-D convolutions over channels-last float32 tensors, as register-tiled SIMD loops (no im2col):
 * the forward pass (with bias and optional ReLU) and the filter gradient. The input gradient is a forward
 * pass of dy against the rotated, transposed filter. Callers pass byte addresses into this module's
 * memory and a range of work ([p0, p1) output pixels, [n0, n1) images), so several threads sharing the
 * memory can split one call; `scratch` is 64 bytes of the calling thread's own.
 *
 * Layouts: xp = input padded on every side [N, Hp, Wp, Ci]; w = filter [KH, KW, Ci, CoP] and bias [CoP],
 * CoP = Co rounded up to 4 with zeros; y = output [N, Ho, Wo, Co] (not padded); dy = [N, Ho, Wo, Co] with
 * 16 bytes readable past its end; c = filter gradient [KH·KW·Ci + MR spare rows, CoP].
 */
import { MAX_V, MR, bwfTile, fwdTile } from './tiles';

/**
 * Vectors of chunk i when `vectors` output vectors are cut into `chunks` tiles as evenly as possible
 * (7 → 3, 2, 2 rather than 3, 3, 1: a one-vector tile does a third of the work per load).
 */
// @ts-ignore: decorator
@inline function chunkVectors(vectors: i32, chunks: i32, i: i32): i32 {
  return vectors / chunks + (i < vectors % chunks ? 1 : 0);
}

export function convForward(xp: usize, w: usize, bias: usize, y: usize, Hp: i32, Wp: i32, Ci: i32, KH: i32, KW: i32, Ho: i32, Wo: i32, Co: i32, CoP: i32, relu: bool, sh: i32, sw: i32, p0: i32, p1: i32, scratch: usize): void {
  const HWo = Ho * Wo;
  const rowStride = <usize>(Wp * Ci) << 2; // one kernel row down
  const bStride = <usize>CoP << 2;
  const cStride = <usize>Co << 2;
  const KWC = KW * Ci;
  for (let p = p0; p < p1; p += MR) {
    const nrows = min(MR, p1 - p);
    for (let r = 0; r < MR; r++) {
      // Rows past the range repeat the last pixel: computed, never stored.
      const q = min(p + r, p1 - 1);
      const n = q / HWo, rr = q % HWo;
      store<usize>(scratch + (<usize>r << 2), xp + (<usize>(((n * Hp + (rr / Wo) * sh) * Wp + (rr % Wo) * sw) * Ci) << 2));
    }
    const pc = y + ((<usize>p * <usize>Co) << 2);
    const vectors = CoP >> 2;
    const chunks = (vectors + MAX_V - 1) / MAX_V;
    let j = 0;
    for (let i = 0; i < chunks; i++) {
      const V = chunkVectors(vectors, chunks, i);
      const rem = i == chunks - 1 ? Co - j - 4 * (V - 1) : 4;
      const off = <usize>j << 2;
      fwdTile(V, scratch, w + off, KH, KWC, rowStride, bStride, pc + off, cStride, nrows, rem, bias + off, relu);
      j += V << 2;
    }
  }
}

export function convBackpropFilter(xp: usize, dy: usize, c: usize, Hp: i32, Wp: i32, Ci: i32, KH: i32, KW: i32, Ho: i32, Wo: i32, Co: i32, CoP: i32, sh: i32, sw: i32, n0: i32, n1: i32, scratch: usize): void {
  const R = KH * KW * Ci;
  const KWC = KW * Ci;
  const rowStride = <usize>(Wp * Ci * sh) << 2; // from one output row's patches to the next
  const pixStride = <usize>(Ci * sw) << 2;
  const dyStride = <usize>Co << 2;
  const cStride = <usize>CoP << 2;
  for (let n = n0; n < n1; n++) {
    const px = xp + (<usize>(n * Hp * Wp * Ci) << 2);
    const pdy = dy + (<usize>(n * Ho * Wo * Co) << 2);
    for (let r = 0; r < R; r += MR) {
      const nrows = min(MR, R - r);
      for (let k = 0; k < MR; k++) {
        const q = min(r + k, R - 1);
        store<usize>(scratch + (<usize>k << 2), <usize>((q / KWC) * Wp * Ci + (q % KWC)) << 2);
      }
      const vectors = CoP >> 2;
      const chunks = (vectors + MAX_V - 1) / MAX_V;
      let j = 0;
      for (let i = 0; i < chunks; i++) {
        const V = chunkVectors(vectors, chunks, i);
        bwfTile(V, px, scratch, pdy + (<usize>j << 2), Ho, Wo, pixStride, rowStride, dyStride, c + (<usize>(r * CoP + j) << 2), cStride, nrows);
        j += V << 2;
      }
    }
  }
}
