/** Ranks 1..n with ties given their average rank (as scipy.stats.rankdata). */
export function ranks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const out = new Float64Array(n);
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[order[k]] = rank;
    i = j + 1;
  }
  return out;
}

/** Pearson correlation; NaN when either side is constant. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (n !== b.length) throw new Error(`pearson: lengths differ (${n} vs ${b.length}).`);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/** Spearman rank correlation (Pearson correlation of the tie-averaged ranks). */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return pearson(ranks(a), ranks(b));
}

/** Min-max scaling into [0, 1] (a constant map becomes all zeros). */
export function minMaxScale(a: ArrayLike<number>): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < a.length; i++) {
    lo = Math.min(lo, a[i]);
    hi = Math.max(hi, a[i]);
  }
  const span = hi - lo;
  return Float64Array.from(a as ArrayLike<number>, (v) => (span > 0 ? (v - lo) / span : 0));
}

/**
 * Structural similarity of two `h × w` maps in [0, `dataRange`], as scikit-image's
 * structural_similarity defaults: a 7×7 uniform window over the valid interior, sample covariances,
 * K1 = 0.01, K2 = 0.03; the mean SSIM.
 */
export function ssim(a: ArrayLike<number>, b: ArrayLike<number>, h: number, w: number, dataRange = 1, win = 7): number {
  if (a.length !== h * w || b.length !== h * w) throw new Error(`ssim: maps must have ${h}×${w} values.`);
  if (h < win || w < win) throw new Error(`ssim: maps of ${h}×${w} are smaller than the ${win}×${win} window.`);
  const c1 = (0.01 * dataRange) ** 2;
  const c2 = (0.03 * dataRange) ** 2;
  const np = win * win;
  const cov = np / (np - 1);
  const r = (win - 1) / 2;
  let total = 0;
  let count = 0;
  for (let y = r; y < h - r; y++) {
    for (let x = r; x < w - r; x++) {
      let ma = 0;
      let mb = 0;
      let maa = 0;
      let mbb = 0;
      let mab = 0;
      for (let dy = -r; dy <= r; dy++)
        for (let dx = -r; dx <= r; dx++) {
          const i = (y + dy) * w + x + dx;
          ma += a[i];
          mb += b[i];
          maa += a[i] * a[i];
          mbb += b[i] * b[i];
          mab += a[i] * b[i];
        }
      ma /= np;
      mb /= np;
      const va = cov * (maa / np - ma * ma);
      const vb = cov * (mbb / np - mb * mb);
      const vab = cov * (mab / np - ma * mb);
      total += ((2 * ma * mb + c1) * (2 * vab + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
      count++;
    }
  }
  return total / count;
}
