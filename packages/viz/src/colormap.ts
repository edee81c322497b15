/**
 * Colormaps as 256-entry lookup tables, with matplotlib's value → entry semantics, so a heatmap drawn here
 * matches the tutorial's `imshow(..., cmap=my_cmap, vmin=-Rsmax, vmax=Rsmax)` pixel for pixel.
 */

/** Number of entries of every lookup table (matplotlib's default `image.lut`). */
export const LUT_SIZE = 256;

/** An RGB colour with channels in [0, 1]. */
export type Rgb = readonly [number, number, number];

/** An RGBA colour with 8-bit channels (0..255). */
export type Rgba8 = readonly [number, number, number, number];

/** A colormap: 256 RGBA entries, as floats (exact) and as bytes (what goes into pixels). */
export interface Colormap {
  readonly name: string;
  /** 256 × RGBA, channels in [0, 1]. Entry i is the colour at position i / 255. */
  readonly lut: Float64Array;
  /** 256 × RGBA, channels 0..255: `lut` × 255, rounded. */
  readonly lut8: Uint8ClampedArray;
}

/** Names of the built-in colormaps. */
export type ColormapName = 'seismic' | 'seismic-dark' | 'bwr' | 'coldnhot' | 'gray';

/** A colour stop of a piecewise-linear colormap: position in [0, 1] and colour. */
export type ColorStop = readonly [position: number, color: Rgb];

/**
 * Build a piecewise-linear colormap, as matplotlib's `LinearSegmentedColormap` does: entry i is the linear
 * interpolation of the stops at x = i / 255.
 *
 * @param stops positions ascending from exactly 0 to exactly 1.
 */
export function linearColormap(name: string, stops: readonly ColorStop[]): Colormap {
  if (stops.length < 2) {
    throw new Error(`Colormap "${name}" needs at least 2 colour stops; got ${stops.length}.`);
  }
  if (stops[0][0] !== 0 || stops[stops.length - 1][0] !== 1) {
    throw new Error(`Colormap "${name}": the first stop must be at 0 and the last at 1.`);
  }
  for (let k = 1; k < stops.length; k++) {
    if (!(stops[k][0] >= stops[k - 1][0])) {
      throw new Error(`Colormap "${name}": stop positions must be ascending (stop ${k} is out of order).`);
    }
  }
  const lut = new Float64Array(LUT_SIZE * 4);
  let seg = 0;
  for (let i = 0; i < LUT_SIZE; i++) {
    const x = i / (LUT_SIZE - 1);
    while (seg < stops.length - 2 && x > stops[seg + 1][0]) seg++;
    const [x0, c0] = stops[seg];
    const [x1, c1] = stops[seg + 1];
    const t = x1 > x0 ? (x - x0) / (x1 - x0) : 1;
    for (let c = 0; c < 3; c++) lut[i * 4 + c] = c0[c] + t * (c1[c] - c0[c]);
    lut[i * 4 + 3] = 1;
  }
  return fromLut(name, lut);
}

/** Colours spread evenly over [0, 1], as matplotlib's `LinearSegmentedColormap.from_list`. */
export function evenColormap(name: string, colors: readonly Rgb[]): Colormap {
  return linearColormap(
    name,
    colors.map((color, k): ColorStop => [k === colors.length - 1 ? 1 : k / (colors.length - 1), color]),
  );
}

/**
 * Multiply the RGB channels of a colormap by `factor` (alpha untouched): the tutorial's darkened seismic is
 * `scaleColormap(seismic, 0.85)` (`my_cmap[:, 0:3] *= 0.85`).
 */
export function scaleColormap(cmap: Colormap, factor: number, name = `${cmap.name}×${factor}`): Colormap {
  const lut = new Float64Array(cmap.lut);
  for (let i = 0; i < LUT_SIZE; i++) for (let c = 0; c < 3; c++) lut[i * 4 + c] *= factor;
  return fromLut(name, lut);
}

function fromLut(name: string, lut: Float64Array): Colormap {
  const lut8 = new Uint8ClampedArray(LUT_SIZE * 4);
  // Rounding, not matplotlib's truncation: truncation turns 0.99215686 × 255 = 252.99998 into 252.
  for (let k = 0; k < lut.length; k++) lut8[k] = Math.round(Math.min(1, Math.max(0, lut[k])) * 255);
  return Object.freeze({ name, lut, lut8 });
}

// matplotlib's _seismic_data and _bwr_data (lib/matplotlib/_cm.py), colours spread evenly.
const SEISMIC_COLORS: readonly Rgb[] = [
  [0, 0, 0.3],
  [0, 0, 1],
  [1, 1, 1],
  [1, 0, 0],
  [0.5, 0, 0],
];
const BWR_COLORS: readonly Rgb[] = [
  [0, 0, 1],
  [1, 1, 1],
  [1, 0, 0],
];

/** zennit's colour-map source '0ff,00f,80:000,f00,ff0,fff' resolved to its node indices (of 255). */
const COLDNHOT_STOPS: readonly ColorStop[] = [
  [0 / 255, [0, 1, 1]],
  [64 / 255, [0, 0, 1]],
  [128 / 255, [0, 0, 0]],
  [170 / 255, [1, 0, 0]],
  [212 / 255, [1, 1, 0]],
  [255 / 255, [1, 1, 1]],
];

/** The factor the tutorial darkens seismic by. */
export const SEISMIC_DARK_FACTOR = 0.85;

const builders: Record<ColormapName, () => Colormap> = {
  seismic: () => evenColormap('seismic', SEISMIC_COLORS),
  'seismic-dark': () => scaleColormap(getColormap('seismic'), SEISMIC_DARK_FACTOR, 'seismic-dark'),
  bwr: () => evenColormap('bwr', BWR_COLORS),
  coldnhot: () => linearColormap('coldnhot', COLDNHOT_STOPS),
  gray: () =>
    linearColormap('gray', [
      [0, [0, 0, 0]],
      [1, [1, 1, 1]],
    ]),
};

const cache = new Map<ColormapName, Colormap>();

/** Names accepted by {@link getColormap}. */
export const COLORMAP_NAMES: readonly ColormapName[] = Object.freeze(Object.keys(builders) as ColormapName[]);

/**
 * A built-in colormap by name:
 * - `seismic`: matplotlib's (dark blue → blue → white → red → dark red);
 * - `seismic-dark`: seismic with RGB × 0.85, the tutorial's heatmap colormap;
 * - `bwr`: matplotlib's blue → white → red;
 * - `coldnhot`: zennit's cyan → blue → black → red → yellow → white;
 * - `gray`: black → white.
 *
 * A {@link Colormap} passed in is returned as is.
 */
export function getColormap(name: ColormapName | Colormap): Colormap {
  if (typeof name !== 'string') return name;
  const build = (builders as Record<string, (() => Colormap) | undefined>)[name];
  if (!build) {
    throw new Error(`Unknown colormap "${name}"; use one of ${COLORMAP_NAMES.join(', ')} or pass a Colormap.`);
  }
  let cmap = cache.get(name);
  if (!cmap) {
    cmap = build();
    cache.set(name, cmap);
  }
  return cmap;
}

/**
 * Lookup-table entry for a normalized value t, as matplotlib's `Colormap.__call__` on floats:
 * floor(t × 256), t = 1 → 255, below 0 → 0, above 1 → 255. NaN gives -1 (the "bad" colour).
 */
export function lutIndex(t: number): number {
  if (Number.isNaN(t)) return -1;
  const i = Math.floor(t * LUT_SIZE);
  return i < 0 ? 0 : i > LUT_SIZE - 1 ? LUT_SIZE - 1 : i;
}

/** The float RGBA colour of a colormap at normalized position t ∈ [0, 1] (NaN → transparent black). */
export function colorAt(cmap: ColormapName | Colormap, t: number): [number, number, number, number] {
  const { lut } = getColormap(cmap);
  const i = lutIndex(t);
  if (i < 0) return [0, 0, 0, 0];
  return [lut[i * 4], lut[i * 4 + 1], lut[i * 4 + 2], lut[i * 4 + 3]];
}

/** Options of {@link applyColormap}. */
export interface ApplyColormapOptions {
  /** Value mapped to the first entry. Default: the minimum of the finite values. */
  vmin?: number;
  /** Value mapped to the last entry. Default: the maximum of the finite values. */
  vmax?: number;
}

/**
 * Map values to RGBA bytes (4 per value) through a colormap, as matplotlib's `imshow(values, cmap, vmin, vmax)`:
 * t = (v − vmin) / (vmax − vmin), then {@link lutIndex}. NaN values become transparent. When vmin = vmax every
 * finite value gets the middle entry (a blank map reads as "no evidence", not as the most negative colour).
 */
export function applyColormap(
  values: ArrayLike<number>,
  cmap: ColormapName | Colormap = 'gray',
  options: ApplyColormapOptions = {},
): Uint8ClampedArray {
  const { lut8 } = getColormap(cmap);
  let { vmin, vmax } = options;
  if (vmin === undefined || vmax === undefined) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < values.length; k++) {
      const v = values[k];
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    vmin ??= Number.isFinite(lo) ? lo : 0;
    vmax ??= Number.isFinite(hi) ? hi : 0;
  }
  if (!Number.isFinite(vmin) || !Number.isFinite(vmax)) {
    throw new Error(`applyColormap: vmin and vmax must be finite numbers; got vmin=${vmin}, vmax=${vmax}.`);
  }
  const span = vmax - vmin;
  const out = new Uint8ClampedArray(values.length * 4);
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    const t = span === 0 ? (Number.isNaN(v) ? NaN : 0.5) : (v - vmin) / span;
    const i = lutIndex(t);
    if (i < 0) continue; // transparent
    out[k * 4] = lut8[i * 4];
    out[k * 4 + 1] = lut8[i * 4 + 1];
    out[k * 4 + 2] = lut8[i * 4 + 2];
    out[k * 4 + 3] = lut8[i * 4 + 3];
  }
  return out;
}
