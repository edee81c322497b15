/**
 * The gradient of 2×2, stride-2 max pooling without padding (the nets' pooling), for the rows
 * [r0, r1) of the output (row = n·Ho + i). Each gradient goes to the first strict maximum of its window
 * in row-major order, the tie rule of tfjs's cpu kernel (ReLU outputs tie at 0 often); a window
 * without one (all NaN or −∞) passes nothing. Windows do not overlap, so every element of dx is
 * written once, by its window, with no accumulation; rows and columns past 2·Ho × 2·Wo are the
 * caller's to zero. Channels go 4 at a time, the last vector overlapping the previous one when C is
 * not a multiple of 4 (recomputing the same values); C < 4 takes the scalar loop.
 */
export function maxPool2x2Grad(x: usize, dy: usize, dx: usize, H: i32, W: i32, C: i32, Ho: i32, Wo: i32, r0: i32, r1: i32): void {
  const rowBytes = <usize>(W * C) << 2;
  const pixBytes = <usize>C << 2;
  const negInf = f32x4.splat(-Infinity);
  for (let r = r0; r < r1; r++) {
    const n = r / Ho, i = r % Ho;
    for (let j = 0; j < Wo; j++) {
      const a = <usize>(((n * H + 2 * i) * W + 2 * j) * C) << 2;
      const g = dy + (<usize>(((n * Ho + i) * Wo + j) * C) << 2);
      if (C >= 4) {
        let c = 0;
        while (true) {
          const o = a + (<usize>c << 2);
          const va = v128.load(x + o), vb = v128.load(x + o + pixBytes);
          const vc = v128.load(x + o + rowBytes), vd = v128.load(x + o + rowBytes + pixBytes);
          let best = negInf;
          const ga = f32x4.gt(va, best); best = v128.bitselect(va, best, ga);
          const gb = f32x4.gt(vb, best); best = v128.bitselect(vb, best, gb);
          const gc = f32x4.gt(vc, best); best = v128.bitselect(vc, best, gc);
          const gd = f32x4.gt(vd, best);
          const d = v128.load(g + (<usize>c << 2));
          // The last strict improvement wins: d if gd, else c if gc, else b if gb, else a if ga.
          const wd = gd;
          const wc = v128.andnot(gc, wd);
          const wb = v128.andnot(gb, v128.or(gc, gd));
          const wa = v128.andnot(ga, v128.or(gb, v128.or(gc, gd)));
          v128.store(dx + o, v128.and(d, wa));
          v128.store(dx + o + pixBytes, v128.and(d, wb));
          v128.store(dx + o + rowBytes, v128.and(d, wc));
          v128.store(dx + o + rowBytes + pixBytes, v128.and(d, wd));
          if (c + 4 >= C) break;
          c = min(c + 4, C - 4);
        }
      } else {
        for (let c = 0; c < C; c++) {
          const o = a + (<usize>c << 2);
          const v0 = load<f32>(x + o), v1 = load<f32>(x + o + pixBytes);
          const v2 = load<f32>(x + o + rowBytes), v3 = load<f32>(x + o + rowBytes + pixBytes);
          let best: f32 = -Infinity;
          let at = -1;
          if (v0 > best) { best = v0; at = 0; }
          if (v1 > best) { best = v1; at = 1; }
          if (v2 > best) { best = v2; at = 2; }
          if (v3 > best) { at = 3; }
          const d = load<f32>(g + (<usize>c << 2));
          store<f32>(dx + o, at == 0 ? d : 0);
          store<f32>(dx + o + pixBytes, at == 1 ? d : 0);
          store<f32>(dx + o + rowBytes, at == 2 ? d : 0);
          store<f32>(dx + o + rowBytes + pixBytes, at == 3 ? d : 0);
        }
      }
    }
  }
}

/**
 * Column sums of rows [r0, r1) of x [M, C] added into out [CP] (CP = C rounded up to 4; x must be
 * readable 16 bytes past its end): the bias gradient, dy summed over every axis but the channels.
 * Each thread sums its rows into its own out; 8 vectors of channels at a time stay in registers.
 */
export function columnSums(x: usize, out: usize, C: i32, CP: i32, r0: i32, r1: i32): void {
  const rowBytes = <usize>C << 2;
  for (let c0 = 0; c0 < CP; c0 += 32) {
    const vectors = min(8, (CP - c0) >> 2);
    let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
    let p = x + (<usize>r0 * rowBytes) + (<usize>c0 << 2);
    for (let r = r0; r < r1; r++) {
      s0 = f32x4.add(s0, v128.load(p));
      if (vectors > 1) s1 = f32x4.add(s1, v128.load(p, 16));
      if (vectors > 2) s2 = f32x4.add(s2, v128.load(p, 32));
      if (vectors > 3) s3 = f32x4.add(s3, v128.load(p, 48));
      if (vectors > 4) s4 = f32x4.add(s4, v128.load(p, 64));
      if (vectors > 5) s5 = f32x4.add(s5, v128.load(p, 80));
      if (vectors > 6) s6 = f32x4.add(s6, v128.load(p, 96));
      if (vectors > 7) s7 = f32x4.add(s7, v128.load(p, 112));
      p += rowBytes;
    }
    const q = out + (<usize>c0 << 2);
    v128.store(q, f32x4.add(v128.load(q), s0));
    if (vectors > 1) v128.store(q, f32x4.add(v128.load(q, 16), s1), 16);
    if (vectors > 2) v128.store(q, f32x4.add(v128.load(q, 32), s2), 32);
    if (vectors > 3) v128.store(q, f32x4.add(v128.load(q, 48), s3), 48);
    if (vectors > 4) v128.store(q, f32x4.add(v128.load(q, 64), s4), 64);
    if (vectors > 5) v128.store(q, f32x4.add(v128.load(q, 80), s5), 80);
    if (vectors > 6) v128.store(q, f32x4.add(v128.load(q, 96), s6), 96);
    if (vectors > 7) v128.store(q, f32x4.add(v128.load(q, 112), s7), 112);
  }
}
