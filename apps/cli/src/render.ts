/**
 * The run folder's pictures, drawn with @lrpjs/viz: the tutorial's image row and heatmap rows, the
 * gallery atlases the web app reads, accuracy curves and confusion matrices.
 */
import type { LfwDataset } from '@lrpjs/data';
import {
  composeGrid,
  confusionMatrixSvg,
  createImage,
  drawImage,
  encodePng,
  imageToRgba,
  lineChartSvg,
  relevanceBatchToRgba,
  scaleNearest,
  type LineSeries,
  type RgbaImage,
} from '@lrpjs/viz';
import type { CurvePoint } from './metrics';

/** Last word of a person's name, as the tutorial labels its images. */
export function shortName(name: string): string {
  return name.split(' ').at(-1) ?? name;
}

/** Pixels of the images at `indices` of a dataset, [k, H, W, C] (copies). */
export function pick(
  ds: LfwDataset,
  indices: readonly number[],
): { pixels: Float32Array; shape: [number, number, number, number] } {
  const [n, h, w, c] = ds.shape;
  const size = h * w * c;
  const pixels = new Float32Array(indices.length * size);
  indices.forEach((i, k) => {
    if (!(i >= 0 && i < n)) throw new RangeError(`image index ${i} is outside 0..${n - 1}`);
    pixels.set(ds.images.subarray(i * size, (i + 1) * size), k * size);
  });
  return { pixels, shape: [indices.length, h, w, c] };
}

/** Integer enlargement that brings a tile to about 128 pixels (64 → 2, 150 → 1). */
export function tileScaleFor(size: number): number {
  return Math.max(1, Math.round(128 / size));
}

/**
 * The side of the square cells of the explanation figure, so that rows of nets with different input
 * sizes (64 for net1–3, 150 for the face backbone) line up column by column under the image row.
 */
export function displayCell(inputSizes: readonly number[]): number {
  return Math.max(...inputSizes.map((s) => s * tileScaleFor(s)));
}

/** Enlarges `image` by its tile scale and centres it on a white `cell`×`cell` square. */
function toCell(image: RgbaImage, cell: number): RgbaImage {
  const scaled = scaleNearest(image, tileScaleFor(image.width));
  if (scaled.width === cell && scaled.height === cell) return scaled;
  const out = createImage(cell, cell, [255, 255, 255, 255]);
  drawImage(out, scaled, Math.floor((cell - scaled.width) / 2), Math.floor((cell - scaled.height) / 2));
  return out;
}

/** The tutorial's `images(start)`: the pictures with the person's last name under each. */
export function imagesRowPng(
  pixels: Float32Array,
  shape: readonly number[],
  labels: readonly string[],
  cell: number,
): Uint8Array {
  const [n, h, w, c] = shape;
  const size = h * w * c;
  const tiles = Array.from({ length: n }, (_, k) =>
    toCell(imageToRgba(pixels.subarray(k * size, (k + 1) * size), [h, w, c]), cell),
  );
  return encodePng(composeGrid(tiles, { labels }));
}

/**
 * The tutorial's `heatmaps(net, start)`: Σ_channels R with the seismic colormap ×0.85 and one
 * symmetric limit for the row (viz defaults). No labels, so its columns line up with the image row.
 * Returns the PNG and the limit used.
 */
export function heatmapsRowPng(
  relevance: Float32Array,
  shape: readonly number[],
  cell: number,
): { png: Uint8Array; limit: number } {
  const { images, limits } = relevanceBatchToRgba(relevance, shape);
  return { png: encodePng(composeGrid(images.map((im) => toCell(im, cell)))), limit: limits[0]?.vmax ?? 0 };
}

/**
 * An atlas of the first `count` images: tiles of the input size side by side, row-major,
 * `columns` per row, no padding, lossless 8-bit (pixel = tile/255). The web app cuts it back into
 * model inputs, so it must not be resampled or lossy.
 */
export function atlasPng(ds: LfwDataset, count: number, columns: number): Uint8Array {
  const [, h, w, c] = ds.shape;
  const size = h * w * c;
  const tiles = Array.from({ length: count }, (_, k) =>
    imageToRgba(ds.images.subarray(k * size, (k + 1) * size), [h, w, c]),
  );
  return encodePng(composeGrid(tiles, { columns, padding: 0 }), { compressionLevel: 9 });
}

/** Train (dashed) and test (solid) accuracy of every net over the iterations. */
export function curvesSvg(curves: Record<string, CurvePoint[]>): string {
  const series: LineSeries[] = [];
  const palette = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'];
  Object.entries(curves).forEach(([net, curve], k) => {
    const color = palette[k % palette.length];
    series.push({ name: `${net} test`, color, points: curve.map((p) => [p.iteration, p.testAccuracy] as const) });
    series.push({
      name: `${net} train`,
      color,
      dashed: true,
      points: curve.map((p) => [p.iteration, p.trainAccuracy] as const),
    });
  });
  return lineChartSvg(series, {
    title: 'Accuracy during training',
    xLabel: 'iteration',
    yLabel: 'accuracy',
    yDomain: [0, 1],
    yFormat: 'percent',
  });
}

export function confusionSvg(net: string, confusion: number[][], classNames: readonly string[]): string {
  return confusionMatrixSvg(confusion, classNames, { title: `${net}: test confusion (rows: true class)` });
}
