/** A box in pixels, half-open. */
export interface Box {
  y0: number;
  x0: number;
  y1: number;
  x1: number;
}

/** Options of {@link relevanceBox}. */
export interface RelevanceBoxOptions {
  /** Pixels with |R| ≥ threshold · max |R| count. Default 0.1. */
  threshold?: number;
  /** The box is grown (centred, clipped to the image) to at least this side. Default 8. */
  minSize?: number;
}

/**
 * The bounding box of where a heatmap [height × width] is relevant: the crop of a reference sample
 * that shows what a neuron responds to (zennit-crp's receptive-field crop). A heatmap with no
 * relevance gives the whole image.
 */
export function relevanceBox(
  heatmap: ArrayLike<number>,
  height: number,
  width: number,
  options: RelevanceBoxOptions = {},
): Box {
  const { threshold = 0.1, minSize = 8 } = options;
  let max = 0;
  for (let p = 0; p < height * width; p++) max = Math.max(max, Math.abs(heatmap[p]));
  if (!(max > 0)) return { y0: 0, x0: 0, y1: height, x1: width };
  let y0 = height,
    x0 = width,
    y1 = 0,
    x1 = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (Math.abs(heatmap[y * width + x]) >= threshold * max) {
        y0 = Math.min(y0, y);
        x0 = Math.min(x0, x);
        y1 = Math.max(y1, y + 1);
        x1 = Math.max(x1, x + 1);
      }
    }
  }
  const grow = (lo: number, hi: number, size: number): [number, number] => {
    const want = Math.min(size, Math.max(hi - lo, minSize));
    let a = Math.round((lo + hi - want) / 2);
    a = Math.max(0, Math.min(size - want, a));
    return [a, a + want];
  };
  [y0, y1] = grow(y0, y1, height);
  [x0, x1] = grow(x0, x1, width);
  return { y0, x0, y1, x1 };
}
