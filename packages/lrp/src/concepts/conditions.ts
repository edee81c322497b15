import * as tf from '@tensorflow/tfjs';
import type { Graph } from '../graph/types';

/**
 * A box, half-open (`y0 ≤ y < y1`, `x0 ≤ x < x1`). In `'input'` units (the default) it is in pixels of
 * the model input and covers every cell of the layer's grid whose footprint (input size / layer size)
 * overlaps it; in `'layer'` units it indexes the layer's own grid.
 */
export interface Region {
  y0: number;
  x0: number;
  y1: number;
  x1: number;
  units?: 'input' | 'layer';
}

/**
 * Keeps relevance at one layer's output only at some channels (the last axis: conv channels, dense
 * units) and, for spatial layers, only inside a region; everything else at that layer is zeroed before
 * relevance passes further down.
 */
export interface LayerMask {
  /** A tfjs layer name, as in `model.layers[i].name`. */
  layer: string;
  /** Channels kept. Default: all. */
  channels?: readonly number[];
  /** Spatial cells kept. Default: all. */
  region?: Region;
}

/** One concept: masks at one or more layers, applied together in one backward pass. */
export type Condition = LayerMask | readonly LayerMask[];

/**
 * Conditions for `explain`: a list applied to every image, or `{ perImage }` with one list per image
 * (the same length for every image, e.g. a different neuron for each reference sample).
 */
export type Conditions = readonly Condition[] | { perImage: readonly (readonly Condition[])[] };

/** Normalizes to one list of conditions (each a list of layer masks) per image. */
export function conditionsPerImage(conditions: Conditions, n: number): LayerMask[][][] {
  const asMasks = (c: Condition): LayerMask[] => (Array.isArray(c) ? [...(c as LayerMask[])] : [c as LayerMask]);
  if (!Array.isArray(conditions)) {
    const lists = (conditions as { perImage?: readonly (readonly Condition[])[] }).perImage;
    if (!Array.isArray(lists) || lists.length !== n) {
      throw new Error(`lrp: conditions { perImage } need one list of conditions per image (${n}).`);
    }
    const count = lists[0].length;
    if (count === 0 || lists.some((l) => !Array.isArray(l) || l.length !== count)) {
      throw new Error('lrp: per-image conditions need the same number (≥ 1) of conditions for every image.');
    }
    return lists.map((l) => l.map(asMasks));
  }
  if (conditions.length === 0) {
    throw new Error('lrp: conditions must be a non-empty list, e.g. [{ layer: "conv3", channels: [7] }].');
  }
  const shared = (conditions as readonly Condition[]).map(asMasks);
  return new Array(n).fill(shared);
}

function cellRange(lo: number, hi: number, cells: number, full: number, units: 'input' | 'layer'): [number, number] {
  if (units === 'layer') return [Math.max(0, Math.floor(lo)), Math.min(cells, Math.ceil(hi))];
  const step = full / cells;
  return [Math.max(0, Math.floor(lo / step)), Math.min(cells, Math.ceil(hi / step))];
}

/**
 * The masks of `propagate` for relevance rows laid out slot-major (row s·N + i: image i, slot s =
 * target j · C + condition c). Layers no condition names get no mask; within a masked layer, rows whose
 * condition does not name it keep everything. Call inside tf.tidy.
 */
export function buildMasks(
  graph: Graph,
  values: tf.Tensor[],
  perImage: LayerMask[][][],
  targetsPerImage: number,
): Map<number, tf.Tensor> {
  const n = perImage.length;
  const count = perImage[0].length;
  const slots = targetsPerImage * count;
  const rows = slots * n;
  const byName = new Map(graph.layers.map((l) => [l.name, l.value]));
  const named = new Set<string>();
  for (const conds of perImage) for (const c of conds) for (const m of c) named.add(m.layer);
  const masks = new Map<number, tf.Tensor>();
  const inputShape = values[graph.input].shape as number[];
  for (const layer of named) {
    const value = byName.get(layer);
    if (value === undefined || value === graph.input) {
      const names = graph.layers.filter((l) => l.value !== graph.input).map((l) => l.name);
      throw new Error(`lrp: no layer "${layer}" to condition on; layers: ${names.join(', ')}.`);
    }
    const shape = values[value].shape;
    const k = shape[shape.length - 1];
    const spatial = shape.length === 4 ? [shape[1], shape[2]] : null;
    const channel = new Float32Array(rows * k).fill(1);
    let space: Float32Array | null = null;
    for (let s = 0; s < slots; s++) {
      const c = s % count;
      for (let i = 0; i < n; i++) {
        const row = s * n + i;
        for (const m of perImage[i][c]) {
          if (m.layer !== layer) continue;
          if (m.channels) {
            const keep = new Float32Array(k);
            for (const ch of m.channels) {
              if (!Number.isInteger(ch) || ch < 0 || ch >= k) {
                throw new Error(`lrp: channel ${ch} of layer "${layer}" is out of range; it has ${k} (0..${k - 1}).`);
              }
              keep[ch] = 1;
            }
            for (let q = 0; q < k; q++) channel[row * k + q] *= keep[q];
          }
          if (m.region) {
            if (!spatial) throw new Error(`lrp: layer "${layer}" has no spatial axes; drop the region.`);
            const [h, w] = spatial;
            const units = m.region.units ?? 'input';
            const [ya, yb] = cellRange(m.region.y0, m.region.y1, h, inputShape[1], units);
            const [xa, xb] = cellRange(m.region.x0, m.region.x1, w, inputShape[2], units);
            space ??= new Float32Array(rows * h * w).fill(1);
            for (let y = 0; y < h; y++) {
              for (let x = 0; x < w; x++) {
                if (y < ya || y >= yb || x < xa || x >= xb) space[(row * h + y) * w + x] = 0;
              }
            }
          }
        }
      }
    }
    const ones = shape.slice(1, -1).map(() => 1);
    let mask: tf.Tensor = tf.tensor(channel, [rows, ...ones, k]);
    if (space) mask = tf.mul(mask, tf.tensor(space, [rows, spatial![0], spatial![1], 1]));
    masks.set(value, mask);
  }
  return masks;
}
