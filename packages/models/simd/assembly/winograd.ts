/**
 * 3×3, stride-1 convolutions by Winograd's F(2×2, 3×3): each 2×2 block of outputs from a 4×4 input
 * tile with 16 multiplies per input/output channel pair instead of 36 (2.25× fewer), the multiplies
 * being 16 independent GEMMs that run on the same register tiles as the direct convolution.
 * Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks" (2016). Rounding: within a few
 * float32 ulps of the direct sum for the nets' value ranges (transforms only add, subtract and halve).
 *
 * Layouts: xp = input padded [N, Hp, Wp, Ci] with Hp ≥ 2·tilesH + 2 and Wp ≥ 2·tilesW + 2 (zeros past the
 * image); u = transformed filter [16, Ci, CoP]; y = [N, Ho, Wo, Co]. Ci and Co multiples of 4.
 */
import { storeTail } from './store';
import { MR, fwdTile } from './tiles';

/**
 * u[ξ, ci, co] = (G g Gᵀ)[ξ] for filter w [3, 3, Ci, Co], input channels [c0, c1), 4 output channels at a
 * time: every load and store runs along co, contiguous in both layouts (a scalar loop over (ci, co) pairs
 * touched 25 places 256 KiB apart per pair on a 256 × 256 layer and took longer than the convolution).
 * Co must be a multiple of 4 (CoP = Co).
 */
export function winogradFilter(w: usize, u: usize, Ci: i32, Co: i32, CoP: i32, c0: i32, c1: i32): void {
  const plane = <usize>(Ci * CoP) << 2; // one ξ of u
  const tapStride = <usize>(Ci * Co) << 2; // from w[r, s] to the next tap
  const half = f32x4.splat(0.5);
  for (let ci = c0; ci < c1; ci++) {
    for (let co = 0; co < Co; co += 4) {
      const src = w + (<usize>(ci * Co + co) << 2);
      const dst = u + (<usize>(ci * CoP + co) << 2);
      // h = G g (4 × 3), by columns s; then (h Gᵀ) by rows r.
      const g00 = v128.load(src), g01 = v128.load(src + tapStride), g02 = v128.load(src + 2 * tapStride);
      const g10 = v128.load(src + 3 * tapStride), g11 = v128.load(src + 4 * tapStride), g12 = v128.load(src + 5 * tapStride);
      const g20 = v128.load(src + 6 * tapStride), g21 = v128.load(src + 7 * tapStride), g22 = v128.load(src + 8 * tapStride);
      for (let s = 0; s < 3; s++) {
        const a = s == 0 ? g00 : s == 1 ? g01 : g02;
        const b = s == 0 ? g10 : s == 1 ? g11 : g12;
        const c = s == 0 ? g20 : s == 1 ? g21 : g22;
        // Column s of h in u's planes s, 4 + s, 8 + s, 12 + s (scratch, rewritten by rows below).
        v128.store(dst + <usize>s * plane, a);
        v128.store(dst + <usize>(4 + s) * plane, f32x4.mul(half, f32x4.add(f32x4.add(a, b), c)));
        v128.store(dst + <usize>(8 + s) * plane, f32x4.mul(half, f32x4.add(f32x4.sub(a, b), c)));
        v128.store(dst + <usize>(12 + s) * plane, c);
      }
      for (let r = 0; r < 4; r++) {
        const o = dst + <usize>(4 * r) * plane;
        const h0 = v128.load(o), h1 = v128.load(o + plane), h2 = v128.load(o + 2 * plane);
        v128.store(o + plane, f32x4.mul(half, f32x4.add(f32x4.add(h0, h1), h2)));
        v128.store(o + 2 * plane, f32x4.mul(half, f32x4.add(f32x4.sub(h0, h1), h2)));
        v128.store(o + 3 * plane, h2);
      }
    }
  }
}

/**
 * Output tiles [t0, t1) (tile = n·tilesH·tilesW + i·tilesW + j) in blocks of `block` tiles: input
 * transform into v [16, block, Ci], 16 GEMMs into m [16, block, CoP], output transform with bias and
 * optional ReLU into y. v, m and the zero vector `zeros` [CoP] are the calling thread's own.
 */
export function winograd3x3(xp: usize, u: usize, bias: usize, y: usize, Hp: i32, Wp: i32, Ci: i32, Ho: i32, Wo: i32, Co: i32, CoP: i32, relu: bool, t0: i32, t1: i32, v: usize, m: usize, block: i32, zeros: usize, scratch: usize): void {
  const tilesW = (Wo + 1) >> 1, tilesH = (Ho + 1) >> 1;
  const perImage = tilesW * tilesH;
  const pix = <usize>Ci << 2;
  const row = <usize>(Wp * Ci) << 2;
  const vPlane = <usize>(block * Ci) << 2;
  const mPlane = <usize>(block * CoP) << 2;
  const uPlane = <usize>(Ci * CoP) << 2;
  for (let b0 = t0; b0 < t1; b0 += block) {
    const count = min(block, t1 - b0);
    // Input transform Bᵀ d B, 4 channels at a time.
    for (let k = 0; k < count; k++) {
      const t = b0 + k;
      const n = t / perImage, rr = t % perImage;
      const base = xp + (<usize>(((n * Hp + 2 * (rr / tilesW)) * Wp + 2 * (rr % tilesW)) * Ci) << 2);
      const out = v + (<usize>(k * Ci) << 2);
      for (let c = 0; c < Ci; c += 4) {
        const p = base + (<usize>c << 2);
        const q = out + (<usize>c << 2);
        // Rows of Bᵀ d: e0 = d0 − d2, e1 = d1 + d2, e2 = d2 − d1, e3 = d1 − d3 (each a row of 4 vectors).
        for (let col = 0; col < 4; col++) {
          const o = p + <usize>col * pix;
          const d0 = v128.load(o), d1 = v128.load(o + row), d2 = v128.load(o + 2 * row), d3 = v128.load(o + 3 * row);
          // Kept in v's planes 0..15 as scratch (e_r at plane 4r + col), transformed along columns below.
          v128.store(q + <usize>col * vPlane, f32x4.sub(d0, d2));
          v128.store(q + <usize>(4 + col) * vPlane, f32x4.add(d1, d2));
          v128.store(q + <usize>(8 + col) * vPlane, f32x4.sub(d2, d1));
          v128.store(q + <usize>(12 + col) * vPlane, f32x4.sub(d1, d3));
        }
        for (let r = 0; r < 4; r++) {
          const o = q + <usize>(4 * r) * vPlane;
          const e0 = v128.load(o), e1 = v128.load(o + vPlane), e2 = v128.load(o + 2 * vPlane), e3 = v128.load(o + 3 * vPlane);
          v128.store(o, f32x4.sub(e0, e2));
          v128.store(o + vPlane, f32x4.add(e1, e2));
          v128.store(o + 2 * vPlane, f32x4.sub(e2, e1));
          v128.store(o + 3 * vPlane, f32x4.sub(e1, e3));
        }
      }
    }
    // 16 GEMMs: m[ξ] [count × CoP] = v[ξ] [count × Ci] · u[ξ] [Ci × CoP].
    for (let xi = 0; xi < 16; xi++) {
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
    // Output transform Aᵀ M A, Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]], + bias, ReLU, store the in-range outputs.
    const zero = f32x4.splat(0);
    for (let k = 0; k < count; k++) {
      const t = b0 + k;
      const n = t / perImage, rr = t % perImage;
      const oy = 2 * (rr / tilesW), ox = 2 * (rr % tilesW);
      const q = m + (<usize>(k * CoP) << 2);
      for (let c = 0; c < CoP; c += 4) {
        const o = q + (<usize>c << 2);
        const bv = v128.load(bias + (<usize>c << 2));
        // Columns of M A per row r: a0 = m0 + m1 + m2, a1 = m1 − m2 − m3.
        let s00 = f32x4.splat(0), s01 = s00, s10 = s00, s11 = s00;
        for (let r = 0; r < 4; r++) {
          const m0 = v128.load(o + <usize>(4 * r) * mPlane), m1 = v128.load(o + <usize>(4 * r + 1) * mPlane);
          const m2 = v128.load(o + <usize>(4 * r + 2) * mPlane), m3 = v128.load(o + <usize>(4 * r + 3) * mPlane);
          const a0 = f32x4.add(f32x4.add(m0, m1), m2);
          const a1 = f32x4.sub(f32x4.sub(m1, m2), m3);
          if (r < 3) { s00 = f32x4.add(s00, a0); s01 = f32x4.add(s01, a1); }
          if (r == 1) { s10 = f32x4.add(s10, a0); s11 = f32x4.add(s11, a1); }
          else if (r == 2) { s10 = f32x4.sub(s10, a0); s11 = f32x4.sub(s11, a1); }
          else if (r == 3) { s10 = f32x4.sub(s10, a0); s11 = f32x4.sub(s11, a1); }
        }
        s00 = f32x4.add(s00, bv); s01 = f32x4.add(s01, bv); s10 = f32x4.add(s10, bv); s11 = f32x4.add(s11, bv);
        if (relu) { s00 = f32x4.max(s00, zero); s01 = f32x4.max(s01, zero); s10 = f32x4.max(s10, zero); s11 = f32x4.max(s11, zero); }
        const rem = min(4, Co - c);
        if (rem <= 0) break;
        const y0 = y + (<usize>(((n * Ho + oy) * Wo + ox) * Co + c) << 2);
        storeTail(y0, s00, rem);
        if (ox + 1 < Wo) storeTail(y0 + (<usize>Co << 2), s01, rem);
        if (oy + 1 < Ho) {
          const y1 = y0 + (<usize>(Wo * Co) << 2);
          storeTail(y1, s10, rem);
          if (ox + 1 < Wo) storeTail(y1 + (<usize>Co << 2), s11, rem);
        }
      }
    }
  }
}
