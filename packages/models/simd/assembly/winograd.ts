/**
 * 3×3 and 5×5, stride-1 convolutions by Winograd's F(2×2, r×r): each 2×2 block of outputs from an
 * (r+1)×(r+1) input tile with (r+1)² multiplies per input/output channel pair instead of 4r² (3×3: 16 vs
 * 36, 2.25× fewer; 5×5: 36 vs 100, 2.8× fewer), the multiplies being (r+1)² independent GEMMs that run on
 * the same register tiles as the direct convolution. Lavin & Gray, "Fast Algorithms for Convolutional
 * Neural Networks" (2016). The transforms are generated from their interpolation points by
 * simd/gen-winograd.mjs (winograd-transforms.ts). Rounding: 3×3 within a few float32 ulps of the direct
 * sum; 5×5 about 1e-5 of the output's scale (the points ±2, ±1/2 scale some terms).
 *
 * Layouts: xp = input padded [N, Hp, Wp, Ci] with Hp ≥ 2·tilesH + r − 1 and Wp ≥ 2·tilesW + r − 1 (zeros
 * past the image); u = transformed filter [(r+1)², Ci, CoP]; y = [N, Ho, Wo, Co]. Ci a multiple of 4
 * (callers pad channels with zeros).
 */
import { MR, bwfTile, fwdTile } from './tiles';
import {
  winogradDy3, winogradDy5, winogradFilter3, winogradFilter5, winogradGradOut3, winogradGradOut5,
  winogradInput3, winogradInput5, winogradOutput3, winogradOutput5,
} from './winograd-transforms';

/**
 * u[ξ, ci, co] = (G g Gᵀ)[ξ] for filter w [r, r, Ci, CoP] (packed: CoP a multiple of 4), input channels
 * [c0, c1), 4 output channels at a time: every load and store runs along co, contiguous in both layouts (a
 * scalar loop over (ci, co) pairs touched 25 places 256 KiB apart per pair on a 256 × 256 layer and took
 * longer than the convolution). u has CiP ≥ Ci rows per plane; rows past Ci are the caller's (zeros).
 */
export function winogradFilter(w: usize, u: usize, Ci: i32, CiP: i32, CoP: i32, R: i32, c0: i32, c1: i32): void {
  const plane = <usize>(CiP * CoP) << 2; // one ξ of u
  const tap = <usize>(Ci * CoP) << 2; // from w[i, j] to the next tap
  for (let ci = c0; ci < c1; ci++) {
    for (let co = 0; co < CoP; co += 4) {
      const src = w + (<usize>(ci * CoP + co) << 2);
      const dst = u + (<usize>(ci * CoP + co) << 2);
      if (R == 3) winogradFilter3(src, tap, dst, plane);
      else winogradFilter5(src, tap, dst, plane);
    }
  }
}

/**
 * Output tiles [t0, t1) (tile = n·tilesH·tilesW + i·tilesW + j) in blocks of `block` tiles: input
 * transform into v [P, block, Ci], P GEMMs into m [P, block, CoP], output transform with bias and
 * optional ReLU into y (P = (R+1)²). v, m and the zero vector `zeros` [CoP] are the calling thread's own.
 */
export function winogradConv(xp: usize, u: usize, bias: usize, y: usize, Hp: i32, Wp: i32, Ci: i32, Ho: i32, Wo: i32, Co: i32, CoP: i32, relu: bool, R: i32, t0: i32, t1: i32, v: usize, m: usize, block: i32, zeros: usize, scratch: usize): void {
  const tilesW = (Wo + 1) >> 1, tilesH = (Ho + 1) >> 1;
  const perImage = tilesW * tilesH;
  const P = (R + 1) * (R + 1);
  const vPlane = <usize>(block * Ci) << 2;
  const mPlane = <usize>(block * CoP) << 2;
  const uPlane = <usize>(Ci * CoP) << 2;
  const yRow = <usize>(Wo * Co) << 2, yPix = <usize>Co << 2;
  for (let b0 = t0; b0 < t1; b0 += block) {
    const count = min(block, t1 - b0);
    inputTiles(xp, Hp, Wp, Ci, tilesW, perImage, R, b0, count, v, vPlane);
    // P GEMMs: m[ξ] [count × CoP] = v[ξ] [count × Ci] · u[ξ] [Ci × CoP].
    for (let xi = 0; xi < P; xi++) {
      const vx = v + <usize>xi * vPlane, mx = m + <usize>xi * mPlane, ux = u + <usize>xi * uPlane;
      for (let k = 0; k < count; k += MR) {
        const nrows = min(MR, count - k);
        for (let r = 0; r < MR; r++) store<usize>(scratch + (<usize>r << 2), vx + (<usize>(min(k + r, count - 1) * Ci) << 2));
        const vectors = CoP >> 2;
        const chunks = (vectors + 2) / 3;
        let j = 0;
        for (let i = 0; i < chunks; i++) {
          const V = vectors / chunks + (i < vectors % chunks ? 1 : 0);
          const off = <usize>j << 2;
          fwdTile(V, scratch, ux + off, 1, Ci, 0, <usize>CoP << 2, mx + (<usize>(k * CoP) << 2) + off, <usize>CoP << 2, nrows, 4, zeros, false);
          j += V << 2;
        }
      }
    }
    for (let k = 0; k < count; k++) {
      const t = b0 + k;
      const n = t / perImage, rr = t % perImage;
      const oy = 2 * (rr / tilesW), ox = 2 * (rr % tilesW);
      const q = m + (<usize>(k * CoP) << 2);
      const y0 = y + (<usize>(((n * Ho + oy) * Wo + ox) * Co) << 2);
      const hasX1 = ox + 1 < Wo, hasY1 = oy + 1 < Ho;
      for (let c = 0; c < Co; c += 4) {
        const o = q + (<usize>c << 2);
        const bv = v128.load(bias + (<usize>c << 2));
        const rem = min(4, Co - c);
        if (R == 3) winogradOutput3(o, mPlane, bv, relu, y0 + (<usize>c << 2), yRow, yPix, rem, hasX1, hasY1);
        else winogradOutput5(o, mPlane, bv, relu, y0 + (<usize>c << 2), yRow, yPix, rem, hasX1, hasY1);
      }
    }
  }
}

/** Input transform Bᵀ d B of tiles [b0, b0 + count) into v [P, block, Ci] (plane stride vPlane bytes). */
function inputTiles(xp: usize, Hp: i32, Wp: i32, Ci: i32, tilesW: i32, perImage: i32, R: i32, b0: i32, count: i32, v: usize, vPlane: usize): void {
  const pix = <usize>Ci << 2;
  const row = <usize>(Wp * Ci) << 2;
  for (let k = 0; k < count; k++) {
    const t = b0 + k;
    const n = t / perImage, rr = t % perImage;
    const base = xp + (<usize>(((n * Hp + 2 * (rr / tilesW)) * Wp + 2 * (rr % tilesW)) * Ci) << 2);
    const out = v + (<usize>(k * Ci) << 2);
    for (let c = 0; c < Ci; c += 4) {
      const p = base + (<usize>c << 2), q = out + (<usize>c << 2);
      if (R == 3) winogradInput3(p, row, pix, q, vPlane);
      else winogradInput5(p, row, pix, q, vPlane);
    }
  }
}

/**
 * The filter gradient's transformed sum ∂L/∂U[ξ] [Ci × CoP] += Σ_tiles V[ξ]ᵀ (A dy Aᵀ)[ξ] over output tiles
 * [t0, t1), in blocks: input transform into v [P, block, Ci], dy transform into d [P, block, CoP], then P
 * rank-`block` updates of acc [P, Ci + MR spare rows, CoP] on the filter-gradient tiles. dy is
 * [N, Ho, Wo, Co] (16 bytes readable past its end; lanes past Co only reach columns past Co); outputs
 * past the image count as zeros. See {@link winogradGradOutput} for the last step.
 */
export function winogradFilterGrad(xp: usize, dy: usize, Hp: i32, Wp: i32, Ci: i32, Ho: i32, Wo: i32, Co: i32, CoP: i32, R: i32, t0: i32, t1: i32, acc: usize, v: usize, d: usize, block: i32, scratch: usize): void {
  const tilesW = (Wo + 1) >> 1, tilesH = (Ho + 1) >> 1;
  const perImage = tilesW * tilesH;
  const P = (R + 1) * (R + 1);
  const vPlane = <usize>(block * Ci) << 2;
  const dPlane = <usize>(block * CoP) << 2;
  const accPlane = <usize>((Ci + MR) * CoP) << 2;
  const dyRow = <usize>(Wo * Co) << 2, dyPix = <usize>Co << 2;
  const zero = f32x4.splat(0);
  for (let b0 = t0; b0 < t1; b0 += block) {
    const count = min(block, t1 - b0);
    inputTiles(xp, Hp, Wp, Ci, tilesW, perImage, R, b0, count, v, vPlane);
    for (let k = 0; k < count; k++) {
      const t = b0 + k;
      const n = t / perImage, rr = t % perImage;
      const oy = 2 * (rr / tilesW), ox = 2 * (rr % tilesW);
      const hasX1 = ox + 1 < Wo, hasY1 = oy + 1 < Ho;
      const p0 = dy + (<usize>(((n * Ho + oy) * Wo + ox) * Co) << 2);
      const q0 = d + (<usize>(k * CoP) << 2);
      for (let c = 0; c < CoP; c += 4) {
        const p = p0 + (<usize>c << 2);
        const d00 = v128.load(p);
        const d01 = hasX1 ? v128.load(p + dyPix) : zero;
        const d10 = hasY1 ? v128.load(p + dyRow) : zero;
        const d11 = hasX1 && hasY1 ? v128.load(p + dyRow + dyPix) : zero;
        if (R == 3) winogradDy3(d00, d01, d10, d11, q0 + (<usize>c << 2), dPlane);
        else winogradDy5(d00, d01, d10, d11, q0 + (<usize>c << 2), dPlane);
      }
    }
    // acc[ξ][ci][co] += Σ_k v[ξ][k][ci] · d[ξ][k][co]: the filter-gradient tile over one row of `count`
    // "pixels", its rows being input channels.
    const vectors = CoP >> 2;
    const chunks = (vectors + 2) / 3;
    for (let xi = 0; xi < P; xi++) {
      const vx = v + <usize>xi * vPlane, dx = d + <usize>xi * dPlane, ax = acc + <usize>xi * accPlane;
      for (let r = 0; r < Ci; r += MR) {
        const nrows = min(MR, Ci - r);
        for (let k = 0; k < MR; k++) store<usize>(scratch + (<usize>k << 2), <usize>min(r + k, Ci - 1) << 2);
        let j = 0;
        for (let i = 0; i < chunks; i++) {
          const V = vectors / chunks + (i < vectors % chunks ? 1 : 0);
          bwfTile(V, vx, scratch, dx + (<usize>j << 2), 1, count, <usize>Ci << 2, 0, <usize>CoP << 2, ax + (<usize>(r * CoP + j) << 2), <usize>CoP << 2, nrows);
          j += V << 2;
        }
      }
    }
  }
}

/**
 * ∂L/∂g = Gᵀ (∂L/∂U) G for input channels [c0, c1): acc [P, Ci + MR, CoP] (overwritten) to the filter
 * gradient dw [R, R, Ci, CoP].
 */
export function winogradGradOutput(acc: usize, dw: usize, Ci: i32, CoP: i32, R: i32, c0: i32, c1: i32): void {
  const plane = <usize>((Ci + MR) * CoP) << 2;
  const tap = <usize>(Ci * CoP) << 2;
  for (let ci = c0; ci < c1; ci++) {
    for (let co = 0; co < CoP; co += 4) {
      const off = <usize>(ci * CoP + co) << 2;
      if (R == 3) winogradGradOut3(acc + off, plane, dw + off, tap);
      else winogradGradOut5(acc + off, plane, dw + off, tap);
    }
  }
}
