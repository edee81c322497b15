import { composeGrid } from './grid';
import { createImage, drawImage, scaleNearest, type RgbaImage } from './image';
import { relevanceToRgba } from './relevance';

/** One concept (a channel of a layer) of one image. */
export interface ConceptPanelRow {
  /** E.g. "ch 17 · 23 %". */
  label: string;
  /** The concept's conditional heatmap [H, W] (relevance summed over input channels). */
  heatmap: ArrayLike<number>;
  /** Reference crops from the dataset (any sizes). */
  crops: readonly RgbaImage[];
}

/** Input of {@link conceptPanel}. */
export interface ConceptPanelData {
  /** The input image. */
  image: RgbaImage;
  /** The plain heatmap [H, W]. */
  heatmap: ArrayLike<number>;
  concepts: readonly ConceptPanelRow[];
  /** Title line, e.g. "test #3 · Powell · conv128_2_relu". */
  title?: string;
  /** Side of every tile in pixels. Default 96. */
  tile?: number;
}

function fit(image: RgbaImage, side: number): RgbaImage {
  const f = Math.max(1, Math.floor(side / Math.max(image.width, image.height)));
  const scaled = scaleNearest(image, f);
  if (scaled.width === side && scaled.height === side) return scaled;
  // nearest resampling to exactly side × side (crops come in any size)
  const out = createImage(side, side, [255, 255, 255, 255]);
  const s = Math.max(scaled.width, scaled.height) / side;
  if (s <= 1) {
    drawImage(out, scaled, Math.floor((side - scaled.width) / 2), Math.floor((side - scaled.height) / 2));
    return out;
  }
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const sy = Math.min(image.height - 1, Math.floor(((y + 0.5) * image.height) / side));
      const sx = Math.min(image.width - 1, Math.floor(((x + 0.5) * image.width) / side));
      const p = (sy * image.width + sx) * 4;
      out.data.set(image.data.subarray(p, p + 4), (y * side + x) * 4);
    }
  }
  return out;
}

/**
 * Concept Relevance Propagation at a glance: a first row with the image and its plain heatmap, then one
 * row per concept with its label, its conditional heatmap (on its own symmetric scale) and its reference
 * crops. Tiles are `tile` pixels square; labels under the tiles.
 */
export function conceptPanel(data: ConceptPanelData): RgbaImage {
  const tile = data.tile ?? 96;
  const shape = [data.image.height, data.image.width];
  if (shape[0] * shape[1] !== data.heatmap.length) {
    throw new Error(`conceptPanel: the heatmap has ${data.heatmap.length} values for a ${shape[0]}×${shape[1]} image.`);
  }
  let limit = 0;
  for (let p = 0; p < data.heatmap.length; p++) limit = Math.max(limit, Math.abs(data.heatmap[p]));
  const limits = { vmin: -(limit || 1), vmax: limit || 1 };
  const columns = 2 + Math.max(0, ...data.concepts.map((c) => c.crops.length));
  const blank = createImage(tile, tile, [255, 255, 255, 255]);
  const tiles: RgbaImage[] = [];
  const labels: string[] = [];
  const push = (im: RgbaImage, label = '') => {
    tiles.push(fit(im, tile));
    labels.push(label);
  };
  push(data.image, 'image');
  push(relevanceToRgba(data.heatmap, shape, { limits }), 'heatmap');
  for (let k = 2; k < columns; k++) push(blank);
  for (const c of data.concepts) {
    push(blank, c.label);
    // each concept on its own scale: its share is in the label, its shape is what matters here
    push(relevanceToRgba(c.heatmap, shape), 'conditional');
    for (let k = 0; k < columns - 2; k++) push(c.crops[k] ?? blank, c.crops[k] ? `ref ${k + 1}` : '');
  }
  // the label cell of each concept row carries its text under a blank tile
  return composeGrid(tiles, { columns, labels, title: data.title, fontScale: 1 });
}
