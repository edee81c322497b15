/**
 * Relevance maps → heatmap images, with the tutorial's look by default: channels summed, the seismic colormap
 * darkened × 0.85, and symmetric limits ±Rsmax with Rsmax = `numpy.abs(R).sum(axis=1).max()`.
 */
import { applyColormap, getColormap, type Colormap, type ColormapName } from './colormap';
import { checkImageShape, type RgbaImage } from './image';

/**
 * How relevance values are mapped onto the colormap's range [vmin, vmax] (values beyond are clipped):
 * - `'symmetric'` (the tutorial): ±max over pixels of Σ_channels |R|, i.e. `numpy.abs(R).sum(axis=1).max()`;
 * - `'max-abs'`: ±max over pixels of |Σ_channels R|, the largest plotted magnitude (same as `'symmetric'` for
 *   one channel);
 * - `{ percentile: p }`: ±the p-th percentile (0..100, linear interpolation as numpy) of |Σ_channels R|, so a
 *   few extreme pixels do not wash out the rest;
 * - `{ vmin, vmax }`: fixed limits.
 */
export type RelevanceLimits = 'symmetric' | 'max-abs' | { percentile: number } | { vmin: number; vmax: number };

/** Resolved limits. */
export interface Limits {
  vmin: number;
  vmax: number;
}

/** Options of {@link relevanceToRgba} and {@link relevanceBatchToRgba}. */
export interface RelevanceToRgbaOptions {
  /** Colormap. Default `'seismic-dark'` (the tutorial's). */
  colormap?: ColormapName | Colormap;
  /** Limits. Default `'symmetric'` (the tutorial's Rsmax). */
  limits?: RelevanceLimits;
  /**
   * Sum relevance over channels before colouring (the tutorial's `R[j].sum(axis=0)`). Default true. With false
   * the map must have one channel.
   */
  sumChannels?: boolean;
  /**
   * Make each pixel's alpha proportional to its |relevance| relative to the limits (0 → transparent), for
   * {@link overlay} on the input image. Default false (opaque, as the tutorial).
   */
  alphaByMagnitude?: boolean;
}

/** Options of {@link relevanceBatchToRgba}. */
export interface RelevanceBatchOptions extends RelevanceToRgbaOptions {
  /**
   * One limit for all maps of the batch (the tutorial computes Rsmax over its 8 images at once), so colours
   * compare across images. Default true; false resolves `limits` per map.
   */
  sharedLimits?: boolean;
}

/** A batch of heatmaps and the limits they were drawn with. */
export interface HeatmapBatch {
  images: RgbaImage[];
  /** Limits per image (all equal with shared limits). */
  limits: Limits[];
}

/**
 * Σ over channels of a channels-last map: [H, W, C] → H·W values (a copy for [H, W] or C = 1).
 */
export function sumChannels(relevance: ArrayLike<number>, shape: readonly number[]): Float32Array {
  const [height, width, channels] = checkImageShape(relevance, shape, 'sumChannels', anyChannels(shape));
  const out = new Float32Array(height * width);
  for (let p = 0; p < out.length; p++) {
    let s = 0;
    for (let c = 0; c < channels; c++) s += relevance[p * channels + c];
    out[p] = s;
  }
  return out;
}

/**
 * The limits {@link relevanceToRgba} would use for one map [H, W, C] or [H, W].
 */
export function relevanceLimits(
  relevance: ArrayLike<number>,
  shape: readonly number[],
  limits: RelevanceLimits = 'symmetric',
): Limits {
  checkImageShape(relevance, shape, 'relevanceLimits', anyChannels(shape));
  return resolveLimits([{ data: relevance, channels: shape.length === 3 ? shape[2] : 1 }], limits);
}

/**
 * One relevance map, [H, W, C] channels-last or [H, W], to an RGBA heatmap of H × W pixels.
 *
 * @example
 * const img = relevanceToRgba(R, [64, 64, 3]); // tutorial look: seismic ×0.85, ±Rsmax
 */
export function relevanceToRgba(
  relevance: ArrayLike<number>,
  shape: readonly number[],
  options: RelevanceToRgbaOptions = {},
): RgbaImage {
  const [height, width, channels] = checkImageShape(relevance, shape, 'relevanceToRgba', anyChannels(shape));
  checkSumChannels(options, channels, 'relevanceToRgba');
  const limits = resolveLimits([{ data: relevance, channels }], options.limits ?? 'symmetric');
  return render(relevance, height, width, channels, limits, options);
}

/**
 * A batch of relevance maps, [N, H, W, C] or [N, H, W] (e.g. `tensor.dataSync()` of LRP's output), to N
 * heatmaps, by default with one shared symmetric limit over the batch as the tutorial's `heatmaps(net, start)`.
 */
export function relevanceBatchToRgba(
  relevance: ArrayLike<number>,
  shape: readonly number[],
  options: RelevanceBatchOptions = {},
): HeatmapBatch {
  if (!Array.isArray(shape) || (shape.length !== 3 && shape.length !== 4)) {
    throw new Error(
      `relevanceBatchToRgba: shape must be [n, height, width] or [n, height, width, channels]; got [${shape}].`,
    );
  }
  const [n, ...itemShape] = shape;
  const itemSize = itemShape.reduce((a, b) => a * b, 1);
  if (!Number.isInteger(n) || n < 1 || relevance.length !== n * itemSize) {
    throw new Error(
      `relevanceBatchToRgba: data has ${relevance.length} values but shape [${shape}] needs ${n * itemSize}.`,
    );
  }
  const items = Array.from({ length: n }, (_, k) => slice(relevance, k * itemSize, (k + 1) * itemSize));
  const [height, width, channels] = checkImageShape(
    items[0],
    itemShape,
    'relevanceBatchToRgba',
    anyChannels(itemShape),
  );
  checkSumChannels(options, channels, 'relevanceBatchToRgba');
  const limitsOption = options.limits ?? 'symmetric';
  const shared = options.sharedLimits ?? true;
  const sharedLimits = shared
    ? resolveLimits(
        items.map((data) => ({ data, channels })),
        limitsOption,
      )
    : undefined;
  const limits = items.map((data) => sharedLimits ?? resolveLimits([{ data, channels }], limitsOption));
  return {
    images: items.map((data, k) => render(data, height, width, channels, limits[k], options)),
    limits,
  };
}

/** Percentile as numpy's default (linear interpolation between closest ranks); p in [0, 100]. */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile must lie in [0, 100]; got ${p}.`);
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) throw new Error('percentile of an empty set; pass at least one value.');
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
}

function render(
  relevance: ArrayLike<number>,
  height: number,
  width: number,
  channels: number,
  limits: Limits,
  options: RelevanceToRgbaOptions,
): RgbaImage {
  const summed = channels === 1 ? relevance : sumChannels(relevance, [height, width, channels]);
  const cmap = getColormap(options.colormap ?? 'seismic-dark');
  const data = applyColormap(summed, cmap, limits);
  if (options.alphaByMagnitude) {
    const scale = Math.max(Math.abs(limits.vmin), Math.abs(limits.vmax));
    for (let p = 0; p < summed.length; p++) {
      const a = scale > 0 ? Math.min(1, Math.abs(summed[p]) / scale) : 0;
      data[p * 4 + 3] = Number.isNaN(summed[p]) ? 0 : Math.round(a * 255);
    }
  }
  return { width, height, data };
}

function resolveLimits(maps: { data: ArrayLike<number>; channels: number }[], limits: RelevanceLimits): Limits {
  if (typeof limits === 'object' && limits !== null && 'vmin' in limits) {
    const { vmin, vmax } = limits;
    if (!Number.isFinite(vmin) || !Number.isFinite(vmax) || !(vmax > vmin)) {
      throw new Error(`limits { vmin, vmax } must be finite with vmax > vmin; got vmin=${vmin}, vmax=${vmax}.`);
    }
    return { vmin, vmax };
  }
  let m = 0;
  if (limits === 'symmetric' || limits === 'max-abs') {
    const absFirst = limits === 'symmetric';
    for (const { data, channels } of maps) {
      for (let p = 0; p < data.length; p += channels) {
        let s = 0;
        for (let c = 0; c < channels; c++) s += absFirst ? Math.abs(data[p + c]) : data[p + c];
        s = Math.abs(s);
        if (s > m) m = s; // NaN never wins a comparison, so it is skipped
      }
    }
  } else if (typeof limits === 'object' && limits !== null && 'percentile' in limits) {
    const magnitudes: number[] = [];
    for (const { data, channels } of maps) {
      for (let p = 0; p < data.length; p += channels) {
        let s = 0;
        for (let c = 0; c < channels; c++) s += data[p + c];
        if (!Number.isNaN(s)) magnitudes.push(Math.abs(s));
      }
    }
    m = magnitudes.length ? percentile(magnitudes, limits.percentile) : 0;
  } else {
    throw new Error(
      `Unknown limits ${JSON.stringify(limits)}; use 'symmetric', 'max-abs', { percentile: 99.5 } or { vmin, vmax }.`,
    );
  }
  // A map without any relevance gets ±0, which applyColormap draws in the neutral middle colour.
  return { vmin: -m, vmax: m };
}

function checkSumChannels(options: RelevanceToRgbaOptions, channels: number, fn: string): void {
  if (options.sumChannels === false && channels !== 1) {
    throw new Error(
      `${fn}: sumChannels is false but the map has ${channels} channels; sum them (sumChannels: true) or pass ` +
        'a single-channel map.',
    );
  }
}

function anyChannels(shape: readonly number[]): number[] {
  // Relevance may come with any channel count (e.g. an intermediate layer); only the layout matters.
  return shape.length === 3 && Number.isInteger(shape[2]) && shape[2] > 0 ? [shape[2]] : [1];
}

function slice(data: ArrayLike<number>, start: number, end: number): ArrayLike<number> {
  if (ArrayBuffer.isView(data) && 'subarray' in data) {
    return (data as unknown as Float32Array).subarray(start, end);
  }
  return Array.prototype.slice.call(data, start, end) as number[];
}
