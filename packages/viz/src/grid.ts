/** Labelled grids of tiles, and the tutorial's two figures (`images` and `heatmaps`) built on them. */
import { getColormap, type Colormap, type ColormapName } from './colormap';
import {
  assertRgbaImage,
  createImage,
  drawImage,
  imageToRgba,
  scaleNearest,
  type Color,
  type ImageToRgbaOptions,
  type RgbaImage,
} from './image';
import { relevanceBatchToRgba, type Limits, type RelevanceBatchOptions } from './relevance';
import { drawText, fitText, lineHeight, measureText } from './text';

/** Options of {@link composeGrid}. */
export interface GridOptions {
  /** Tiles per row. Default: all tiles in one row. */
  columns?: number;
  /** Pixels between cells and around the grid. Default 4. */
  padding?: number;
  /** Background colour. Default opaque white. */
  background?: Color;
  /** A label under each tile (centred; shortened with ".." when too wide). Default none. */
  labels?: readonly (string | undefined)[];
  /** A label left of each row (e.g. the net's name). Default none. */
  rowLabels?: readonly (string | undefined)[];
  /** A line of text above the grid. Default none. */
  title?: string;
  /** Text colour. Default [17, 17, 17, 255]. */
  textColor?: Color;
  /**
   * Font magnification. Default 2; tile labels drop to 1 when one of them would not fit its tile at 2, so all
   * labels keep one size.
   */
  fontScale?: number;
  /** Integer enlargement of every tile, without smoothing. Default 1. */
  tileScale?: number;
}

/**
 * Tiles (of any sizes; each is centred in a cell of the largest size) in a grid with labels under them.
 *
 * @example
 * const row = composeGrid(images, { labels: ['Bush', 'Powell'], tileScale: 2 });
 */
export function composeGrid(tiles: readonly RgbaImage[], options: GridOptions = {}): RgbaImage {
  if (tiles.length === 0) throw new Error('composeGrid: no tiles given; pass at least one image.');
  tiles.forEach((t, k) => assertRgbaImage(t, `composeGrid tile ${k}`));
  const columns = options.columns ?? tiles.length;
  const padding = options.padding ?? 4;
  const fontScale = options.fontScale ?? 2;
  const tileScale = options.tileScale ?? 1;
  for (const [name, v, min] of [
    ['columns', columns, 1],
    ['padding', padding, 0],
    ['fontScale', fontScale, 1],
    ['tileScale', tileScale, 1],
  ] as const) {
    if (!Number.isInteger(v) || v < min) throw new Error(`composeGrid: ${name} must be an integer ≥ ${min}; got ${v}.`);
  }
  const { labels, rowLabels, title } = options;
  if (labels && labels.length > tiles.length) {
    throw new Error(`composeGrid: ${labels.length} labels for ${tiles.length} tiles; pass at most one per tile.`);
  }
  const background = options.background ?? [255, 255, 255, 255];
  const textColor = options.textColor ?? [17, 17, 17, 255];

  const scaled = tiles.map((t) => scaleNearest(t, tileScale));
  const rows = Math.ceil(scaled.length / columns);
  const cellW = Math.max(...scaled.map((t) => t.width));
  const cellH = Math.max(...scaled.map((t) => t.height));

  const hasLabels = !!labels && labels.some((l) => l);
  let labelScale = fontScale;
  while (labelScale > 1 && labels?.some((l) => l && measureText(l, labelScale).width > cellW)) labelScale--;
  const labelGap = hasLabels ? Math.max(2, Math.round(padding / 2)) : 0;
  const labelH = hasLabels ? labelGap + measureText('Ag', labelScale).height : 0;

  const rowLabelW = rowLabels?.some((l) => l)
    ? Math.max(...rowLabels.map((l) => measureText(l ?? '', fontScale).width)) + 2 * padding
    : 0;
  const titleH = title ? lineHeight(fontScale) + padding : 0;

  const width = padding + rowLabelW + columns * cellW + (columns - 1) * padding + padding;
  const height = padding + titleH + rows * (cellH + labelH) + (rows - 1) * padding + padding;
  const out = createImage(width, height, background);

  if (title)
    drawText(out, fitText(title, width - 2 * padding, fontScale), padding, padding, {
      color: textColor,
      scale: fontScale,
    });

  for (let k = 0; k < scaled.length; k++) {
    const row = Math.floor(k / columns);
    const col = k % columns;
    const cellX = padding + rowLabelW + col * (cellW + padding);
    const cellY = padding + titleH + row * (cellH + labelH + padding);
    const tile = scaled[k];
    drawImage(out, tile, cellX + Math.floor((cellW - tile.width) / 2), cellY + Math.floor((cellH - tile.height) / 2));
    const label = labels?.[k];
    if (label) {
      const text = fitText(label, cellW, labelScale);
      const w = measureText(text, labelScale).width;
      drawText(out, text, cellX + Math.floor((cellW - w) / 2), cellY + cellH + labelGap, {
        color: textColor,
        scale: labelScale,
      });
    }
  }
  for (let row = 0; row < rows; row++) {
    const label = rowLabels?.[row];
    if (!label) continue;
    const cellY = padding + titleH + row * (cellH + labelH + padding);
    const h = measureText(label, fontScale).height;
    drawText(out, label, padding, cellY + Math.floor((cellH - h) / 2), { color: textColor, scale: fontScale });
  }
  return out;
}

/** Options of {@link imageRow}. */
export interface ImageRowOptions extends Omit<GridOptions, 'tileScale'>, ImageToRgbaOptions {
  /** Integer enlargement of each image. Default 2 (64-pixel faces → 128). */
  tileScale?: number;
}

/**
 * The tutorial's `images(start)`: a batch of float images [N, H, W, C] (values in [0, 1] by default) side by
 * side, with a label (the person's last name) under each.
 */
export function imageRow(
  images: ArrayLike<number>,
  shape: readonly number[],
  options: ImageRowOptions = {},
): RgbaImage {
  const tiles = splitBatch(images, shape, 'imageRow').map(({ data, itemShape }) =>
    imageToRgba(data, itemShape, { range: options.range }),
  );
  return composeGrid(tiles, { ...options, tileScale: options.tileScale ?? 2 });
}

/** Options of {@link heatmapRow}. */
export interface HeatmapRowOptions extends RelevanceBatchOptions, Omit<GridOptions, 'tileScale'> {
  /** Integer enlargement of each heatmap. Default 2. */
  tileScale?: number;
}

/**
 * The tutorial's `heatmaps(net, start)`: a batch of relevance maps [N, H, W, C] as heatmaps side by side, by
 * default summed over channels, seismic ×0.85, one symmetric limit ±Rsmax for the batch.
 *
 * @returns the picture and the limits used (record them: they make rows comparable).
 */
export function heatmapRow(
  relevance: ArrayLike<number>,
  shape: readonly number[],
  options: HeatmapRowOptions = {},
): { image: RgbaImage; limits: Limits[] } {
  const { images, limits } = relevanceBatchToRgba(relevance, shape, options);
  return { image: composeGrid(images, { ...options, tileScale: options.tileScale ?? 2 }), limits };
}

/** Options of {@link colorbar}. */
export interface ColorbarOptions {
  /** Width in pixels. Default 256. */
  width?: number;
  /** Height in pixels. Default 12. */
  height?: number;
  /** Vertical bar, lowest value at the bottom. Default false (horizontal, lowest at the left). */
  vertical?: boolean;
}

/** A strip showing a colormap from its first to its last entry. */
export function colorbar(cmap: ColormapName | Colormap, options: ColorbarOptions = {}): RgbaImage {
  const { lut8 } = getColormap(cmap);
  const width = options.width ?? 256;
  const height = options.height ?? 12;
  const out = createImage(width, height);
  const length = options.vertical ? height : width;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const pos = options.vertical ? height - 1 - y : x;
      const i = length > 1 ? Math.round((pos / (length - 1)) * 255) : 0;
      out.data.set(lut8.subarray(i * 4, i * 4 + 4), (y * width + x) * 4);
    }
  }
  return out;
}

function splitBatch(
  data: ArrayLike<number>,
  shape: readonly number[],
  fn: string,
): { data: ArrayLike<number>; itemShape: number[] }[] {
  if (!Array.isArray(shape) || (shape.length !== 3 && shape.length !== 4)) {
    throw new Error(`${fn}: shape must be [n, height, width] or [n, height, width, channels]; got [${shape}].`);
  }
  const [n, ...itemShape] = shape;
  const size = itemShape.reduce((a, b) => a * b, 1);
  if (!Number.isInteger(n) || n < 1 || data.length !== n * size) {
    throw new Error(`${fn}: data has ${data.length} values but shape [${shape}] needs ${n * size}.`);
  }
  const sub = (s: number, e: number): ArrayLike<number> =>
    ArrayBuffer.isView(data)
      ? (data as unknown as Float32Array).subarray(s, e)
      : Array.prototype.slice.call(data, s, e);
  return Array.from({ length: n }, (_, k) => ({ data: sub(k * size, (k + 1) * size), itemShape }));
}
