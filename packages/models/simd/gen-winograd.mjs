/**
 * Writes the transforms of the Winograd convolutions (`assembly/winograd-transforms.ts`): F(2×2, 3×3)
 * and F(2×2, 5×5), derived here from their interpolation points by the Toom–Cook construction (Lavin &
 * Gray 2016; the same as wincnn's), so the matrices are computed, not copied. For m = 2 outputs and an
 * r-tap filter, n = m + r − 1 points (the last one ∞):
 *
 *   Aᵀ[i][j] = pⱼⁱ,   G[j][k] = pⱼᵏ / Πₗ≠ⱼ (pⱼ − pₗ),   Bᵀ row j = coefficients of Πₗ≠ⱼ (x − pₗ)
 *
 * and y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A is the r × r correlation of the n × n tile d with g. The 5×5 points
 * 0, 1, −1, 2, −1/2 were picked by measurement: on random float32 data the largest error relative to the
 * mean output was 7.4e-6, against 1.6e-5 for 0, ±1, ±2 and 6e-5 for ±3.
 *
 * Each transform is emitted as straight-line code over 4-channel vectors, one row or column at a time
 * (n loads, n stores) so at most 2n values are live: the whole n × n tile in registers would spill.
 * Coefficients ±1 become add/sub, others a multiply by a splatted constant.
 */
const POINTS = { 3: [0, 1, -1], 5: [0, 1, -1, 2, [-1, 2]] };
const M = 2;

const gcd = (a, b) => (b === 0 ? Math.abs(a) : gcd(b, a % b));
/** Exact rationals [numerator, denominator] (the entries are small). */
const frac = (n, d = 1) => {
  const g = gcd(n, d) * Math.sign(d);
  return [n / g, d / g];
};
const mul = (a, b) => frac(a[0] * b[0], a[1] * b[1]);
const sub = (a, b) => frac(a[0] * b[1] - b[0] * a[1], a[1] * b[1]);
const add = (a, b) => frac(a[0] * b[1] + b[0] * a[1], a[1] * b[1]);
const div = (a, b) => frac(a[0] * b[1], a[1] * b[0]);
const pow = (a, k) => (k === 0 ? frac(1) : mul(a, pow(a, k - 1)));
const ZERO = frac(0);
const ONE = frac(1);

/** Polynomial (ascending coefficients) times (x − p). */
const timesRoot = (poly, p) => {
  const out = Array.from({ length: poly.length + 1 }, () => ZERO);
  poly.forEach((c, i) => {
    out[i + 1] = add(out[i + 1], c);
    out[i] = sub(out[i], mul(c, p));
  });
  return out;
};

/** Aᵀ [m × n], G [n × r], Bᵀ [n × n] for an r-tap filter. */
export function winogradMatrices(r) {
  const pts = POINTS[r].map((p) => (Array.isArray(p) ? frac(p[0], p[1]) : frac(p)));
  const n = M + r - 1;
  const AT = Array.from({ length: M }, (_, i) => [...pts.map((p) => pow(p, i)), i === M - 1 ? ONE : ZERO]);
  const G = pts.map((p, j) => {
    let f = ONE;
    pts.forEach((q, l) => l !== j && (f = mul(f, sub(p, q))));
    return Array.from({ length: r }, (_, k) => div(pow(p, k), f));
  });
  G.push(Array.from({ length: r }, (_, k) => (k === r - 1 ? ONE : ZERO)));
  const BT = pts.map((_, j) => {
    let poly = [ONE];
    pts.forEach((q, l) => l !== j && (poly = timesRoot(poly, q)));
    return [...poly, ...Array(n - poly.length).fill(ZERO)];
  });
  BT.push(pts.reduce((poly, q) => timesRoot(poly, q), [ONE]));
  return { AT, G, BT, n };
}

const value = (f) => f[0] / f[1];

/**
 * `const out_i = Σⱼ rows[i][j] · in_j` for vector expressions `inputs`, as AssemblyScript statements; the
 * constants it needs are collected in `constants` (value → name).
 */
function combine(rows, inputs, outName, constants) {
  return rows.map((row, i) => {
    let expr = null;
    // A positive term first, so a leading negative one needs no negation.
    const order = range(row.length).sort((a, b) => (value(row[b]) > 0) - (value(row[a]) > 0) || a - b);
    order.forEach((j) => {
      const c = row[j];
      const v = value(c);
      if (v === 0) return;
      const mag = Math.abs(v);
      let term = inputs[j];
      if (mag !== 1) {
        if (!constants.has(mag)) constants.set(mag, `k${constants.size}`);
        term = `f32x4.mul(${constants.get(mag)}, ${term})`;
      }
      if (expr == null) expr = v < 0 ? `f32x4.neg(${term})` : term;
      else expr = v < 0 ? `f32x4.sub(${expr}, ${term})` : `f32x4.add(${expr}, ${term})`;
    });
    return `const ${outName(i)} = ${expr ?? 'f32x4.splat(0)'};`;
  });
}

const range = (n) => [...Array(n).keys()];

function constantsBlock(constants) {
  return [...constants].map(([v, name]) => `const ${name} = f32x4.splat(${v});`).join(' ');
}

function generateFor(r) {
  const { AT, G, BT, n } = winogradMatrices(r);
  const P = n * n;
  let out = '';

  // Input transform V = Bᵀ d B of one tile and 4 channels: d[i][j] at p + i·row + j·pix, V[ξ] at q + ξ·plane.
  {
    const constants = new Map();
    const cols = range(n)
      .map((j) => {
        const loads = range(n)
          .map((i) => `const d${i} = v128.load(p + ${i} * row + ${j} * pix);`)
          .join(' ');
        const comb = combine(
          BT,
          range(n).map((i) => `d${i}`),
          (i) => `e${i}`,
          constants,
        ).join(' ');
        const stores = range(n)
          .map((i) => `v128.store(q + ${i * n + j} * plane, e${i});`)
          .join(' ');
        return `  { ${loads}\n    ${comb}\n    ${stores} }`;
      })
      .join('\n');
    const rows = range(n)
      .map((i) => {
        const loads = range(n)
          .map((j) => `const d${j} = v128.load(q + ${i * n + j} * plane);`)
          .join(' ');
        const comb = combine(
          BT,
          range(n).map((j) => `d${j}`),
          (k) => `e${k}`,
          constants,
        ).join(' ');
        const stores = range(n)
          .map((k) => `v128.store(q + ${i * n + k} * plane, e${k});`)
          .join(' ');
        return `  { ${loads}\n    ${comb}\n    ${stores} }`;
      })
      .join('\n');
    out += `
/** F(2×2, ${r}×${r}) input transform Bᵀ d B of one ${n}×${n} tile, 4 channels: d[i][j] at p + i·row + j·pix, plane ξ at q + ξ·plane. */
// @ts-ignore: decorator
@inline export function winogradInput${r}(p: usize, row: usize, pix: usize, q: usize, plane: usize): void {
  ${constantsBlock(constants)}
  // Bᵀ d, column by column (kept in the planes), then (Bᵀ d) B row by row.
${cols}
${rows}
}
`;
  }

  // Filter transform U = G g Gᵀ, 4 output channels: g[i][j] at src + (i·r + j)·tap, U[ξ] at dst + ξ·plane.
  {
    const constants = new Map();
    const cols = range(r)
      .map((j) => {
        const loads = range(r)
          .map((i) => `const g${i} = v128.load(src + ${i * r + j} * tap);`)
          .join(' ');
        const comb = combine(
          G,
          range(r).map((i) => `g${i}`),
          (i) => `h${i}`,
          constants,
        ).join(' ');
        const stores = range(n)
          .map((i) => `v128.store(dst + ${i * n + j} * plane, h${i});`)
          .join(' ');
        return `  { ${loads}\n    ${comb}\n    ${stores} }`;
      })
      .join('\n');
    const rows = range(n)
      .map((i) => {
        const loads = range(r)
          .map((j) => `const h${j} = v128.load(dst + ${i * n + j} * plane);`)
          .join(' ');
        const comb = combine(
          G,
          range(r).map((j) => `h${j}`),
          (k) => `u${k}`,
          constants,
        ).join(' ');
        const stores = range(n)
          .map((k) => `v128.store(dst + ${i * n + k} * plane, u${k});`)
          .join(' ');
        return `  { ${loads}\n    ${comb}\n    ${stores} }`;
      })
      .join('\n');
    out += `
/** F(2×2, ${r}×${r}) filter transform G g Gᵀ, 4 output channels: tap (i, j) at src + (i·${r} + j)·tap, plane ξ at dst + ξ·plane. */
// @ts-ignore: decorator
@inline export function winogradFilter${r}(src: usize, tap: usize, dst: usize, plane: usize): void {
  ${constantsBlock(constants)}
  // G g column by column (into the planes of columns 0..${r - 1}), then (G g) Gᵀ row by row.
${cols}
${rows}
}
`;
  }

  // Output transform Y = Aᵀ M A (2 × 2), + bias, optional ReLU, stored where in range.
  {
    const constants = new Map();
    const rows = range(n)
      .map((i) => {
        const loads = range(n)
          .map((k) => `const m${k} = v128.load(o + ${i * n + k} * plane);`)
          .join(' ');
        // (M A)[i][x] = Σₖ M[i][k] Aᵀ[x][k]
        const comb = combine(
          AT,
          range(n).map((k) => `m${k}`),
          (j) => `a${j}`,
          constants,
        ).join(' ');
        // Y[y][x] += Aᵀ[y][i] · (M A)[i][x]
        const acc = range(M)
          .flatMap((y) =>
            range(M).map((x) => {
              const v = value(AT[y][i]);
              if (v === 0) return '';
              const mag = Math.abs(v);
              let term = `a${x}`;
              if (mag !== 1) {
                if (!constants.has(mag)) constants.set(mag, `k${constants.size}`);
                term = `f32x4.mul(${constants.get(mag)}, ${term})`;
              }
              return `s${y}${x} = f32x4.${v < 0 ? 'sub' : 'add'}(s${y}${x}, ${term});`;
            }),
          )
          .filter(Boolean)
          .join(' ');
        return `  { ${loads}\n    ${comb}\n    ${acc} }`;
      })
      .join('\n');
    out += `
/**
 * F(2×2, ${r}×${r}) output transform Aᵀ M A of one tile, 4 channels (plane ξ at o + ξ·plane), plus bias, optional
 * ReLU; stores the first \`rem\` lanes of output (y, x) at y0 + y·rowBytes + x·pixBytes where that pixel exists.
 */
// @ts-ignore: decorator
@inline export function winogradOutput${r}(o: usize, plane: usize, bias: v128, relu: bool, y0: usize, rowBytes: usize, pixBytes: usize, rem: i32, hasX1: bool, hasY1: bool): void {
  ${constantsBlock(constants)}
  let s00 = bias, s01 = bias, s10 = bias, s11 = bias;
${rows}
  if (relu) {
    const zero = f32x4.splat(0);
    s00 = f32x4.max(s00, zero); s01 = f32x4.max(s01, zero); s10 = f32x4.max(s10, zero); s11 = f32x4.max(s11, zero);
  }
  storeTail(y0, s00, rem);
  if (hasX1) storeTail(y0 + pixBytes, s01, rem);
  if (hasY1) {
    storeTail(y0 + rowBytes, s10, rem);
    if (hasX1) storeTail(y0 + rowBytes + pixBytes, s11, rem);
  }
}
`;
  }
  // Filter-gradient side. The forward pass is y = Aᵀ [U ⊙ V] A with U = G g Gᵀ, so the gradients are
  // ∂L/∂U = Σ_tiles (A dy Aᵀ) ⊙ V and ∂L/∂g = Gᵀ (∂L/∂U) G.
  {
    // A dy Aᵀ of one 2×2 dy tile: D[i][j] = Σ_y Aᵀ[y][i] Σ_x Aᵀ[x][j] dy[y][x].
    const constants = new Map();
    const A = range(n).map((j) => range(M).map((x) => AT[x][j])); // n × 2
    const rowsE = range(M)
      .map((y) =>
        combine(
          A,
          range(M).map((x) => `d${y}${x}`),
          (j) => `e${y}_${j}`,
          constants,
        ).join(' '),
      )
      .join('\n  ');
    const cols = range(n)
      .map((j) => {
        const comb = combine(
          A,
          range(M).map((y) => `e${y}_${j}`),
          (i) => `t${i}`,
          constants,
        ).join(' ');
        const stores = range(n)
          .map((i) => `v128.store(q + ${i * n + j} * plane, t${i});`)
          .join(' ');
        return `  { ${comb}\n    ${stores} }`;
      })
      .join('\n');
    out += `
/** F(2×2, ${r}×${r}) transform A dy Aᵀ of one 2×2 block of dy (4 channels), plane ξ at q + ξ·plane (filter gradients). */
// @ts-ignore: decorator
@inline export function winogradDy${r}(d00: v128, d01: v128, d10: v128, d11: v128, q: usize, plane: usize): void {
  ${constantsBlock(constants)}
  ${rowsE}
${cols}
}
`;
  }
  {
    // dW = Gᵀ M G, 4 output channels: M[ξ] at src + ξ·plane, tap (a, b) at dst + (a·r + b)·tap.
    const constants = new Map();
    const GT = range(r).map((a) => range(n).map((i) => G[i][a])); // r × n
    const rows = range(n)
      .map((i) => {
        const loads = range(n)
          .map((j) => `const m${j} = v128.load(src + ${i * n + j} * plane);`)
          .join(' ');
        const comb = combine(
          GT,
          range(n).map((j) => `m${j}`),
          (b) => `e${b}`,
          constants,
        ).join(' ');
        const stores = range(r)
          .map((b) => `v128.store(src + ${i * n + b} * plane, e${b});`)
          .join(' ');
        return `  { ${loads}\n    ${comb}\n    ${stores} }`;
      })
      .join('\n');
    const cols = range(r)
      .map((b) => {
        const loads = range(n)
          .map((i) => `const e${i} = v128.load(src + ${i * n + b} * plane);`)
          .join(' ');
        const comb = combine(
          GT,
          range(n).map((i) => `e${i}`),
          (a) => `w${a}`,
          constants,
        ).join(' ');
        const stores = range(r)
          .map((a) => `v128.store(dst + ${a * r + b} * tap, w${a});`)
          .join(' ');
        return `  { ${loads}\n    ${comb}\n    ${stores} }`;
      })
      .join('\n');
    out += `
/** F(2×2, ${r}×${r}) filter-gradient output Gᵀ M G, 4 channels: plane ξ at src + ξ·plane (overwritten), tap (a, b) at dst + (a·${r} + b)·tap. */
// @ts-ignore: decorator
@inline export function winogradGradOut${r}(src: usize, plane: usize, dst: usize, tap: usize): void {
  ${constantsBlock(constants)}
  // (M G) row by row, into the planes of columns 0..${r - 1}; then Gᵀ (M G) column by column.
${rows}
${cols}
}
`;
  }
  out += `\n/** Planes of the F(2×2, ${r}×${r}) transform: ${n}×${n}. */\nexport const WINOGRAD_PLANES_${r} = ${P};\n`;
  return out;
}

export function generateWinograd() {
  let out = '// GENERATED by simd/gen-winograd.mjs (pnpm --filter @lrpjs/models build:simd). Do not edit.\n';
  out += "import { storeTail } from './store';\n";
  for (const r of [3, 5]) out += generateFor(r);
  return out;
}
