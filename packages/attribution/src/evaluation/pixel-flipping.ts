import * as tf from '@tensorflow/tfjs';
import { DEFAULT_BATCH_SIZE } from '../grad';
import { checkBatch, checkCount, forwardOf, readData } from '../model';
import type { AttributionModel } from '../types';
import { aopc, auc } from './curves';
import { replacementImages, type Replacement } from './replacement';
import { seededRandom } from './rng';

/** Most relevant regions first, or least relevant first. */
export type FlipOrder = 'morf' | 'lerf';

export interface PixelFlippingOptions {
  /** The class whose logit is tracked, per image (usually the explained class). */
  target: ArrayLike<number>;
  /** True classes for the accuracy curve. Default: `target`. */
  labels?: ArrayLike<number>;
  /** Perturbation steps after the unperturbed input; step s perturbs round(s·regions/steps) regions. Default 100. */
  steps?: number;
  /** Side of the square regions, in pixels (border regions may be smaller). Default 4. */
  patch?: number;
  /** Default 'mean'. */
  replacement?: Replacement;
  /** 'none': raw logits; 'initial': the mean logit curve divided by its unperturbed value. Default 'none'. */
  normalize?: 'none' | 'initial';
  /** Default both. */
  orders?: readonly FlipOrder[];
  /** Rows per forward pass. Default 256. */
  batchSize?: number;
  /** Blur of the 'blur' replacement, in pixels. Default `patch`. */
  blurSigma?: number;
  /** Seed of tie-breaks between equally relevant regions and of the 'uniform' replacement. Default 0. */
  seed?: number;
  /** Called after each forward pass with rows done and total rows ({@link PixelFlippingResult.forwardRows}). */
  onProgress?: (done: number, total: number) => void;
}

/** How the numbers were measured: absolute AUCs are comparable only under the same protocol. */
export interface PixelFlippingProtocol {
  steps: number;
  patch: number;
  regions: number;
  replacement: string;
  normalize: 'none' | 'initial';
  /** Ordering key of a region: the sum of the heatmap (summed over channels) over its pixels. */
  regionScore: 'sum';
  tieBreak: 'seeded random';
  /** x axis of the curves: the fraction of steps done, s/steps in [0, 1]. */
  axis: 'fraction of steps';
  auc: 'trapezoid on [0, 1]';
  aopc: 'mean over s = 0..steps of f(x⁰) − f(xˢ)';
  srg: 'AUC(LeRF) − AUC(MoRF)';
  images: number;
  seed: number;
  blurSigma?: number;
}

export interface FlipCurve {
  /** Mean target logit (or its normalised value) at each step 0..steps. */
  logit: number[];
  /** Fraction of images still classified as their label at each step. */
  accuracy: number[];
  aucLogit: number;
  aucAccuracy: number;
  aopcLogit: number;
  aopcAccuracy: number;
}

export interface PixelFlippingResult {
  protocol: PixelFlippingProtocol;
  /** Positions of the curve points, s/steps. */
  fraction: number[];
  /**
   * Perturbed images actually evaluated: images × (2 + orders × distinct partial flip counts), since the
   * unperturbed and the fully replaced image are shared by both orders (at most images × (steps + 1) × 2).
   */
  forwardRows?: number;
  morf?: FlipCurve;
  lerf?: FlipCurve;
  /** SRG = AUC(LeRF) − AUC(MoRF) of the logit and of the accuracy curves (with both orders). */
  srg?: { logit: number; accuracy: number; logitStdError: number };
}

/**
 * Per-image order of the regions (region indices, most relevant first when `descending`), ties broken by
 * a seeded random key drawn once per image, so the two orders break ties the same way.
 */
function regionOrders(
  heat: Float32Array,
  n: number,
  h: number,
  w: number,
  patch: number,
  seed: number,
): { morf: Int32Array; lerf: Int32Array } {
  const rw = Math.ceil(w / patch);
  const regions = Math.ceil(h / patch) * rw;
  const random = seededRandom(seed);
  const morf = new Int32Array(n * regions);
  const lerf = new Int32Array(n * regions);
  const score = new Float64Array(regions);
  const tie = new Float64Array(regions);
  const idx = new Int32Array(regions);
  for (let i = 0; i < n; i++) {
    score.fill(0);
    for (let y = 0; y < h; y++) {
      const row = Math.floor(y / patch) * rw;
      for (let x = 0; x < w; x++) score[row + Math.floor(x / patch)] += heat[(i * h + y) * w + x];
    }
    for (let r = 0; r < regions; r++) {
      tie[r] = random();
      idx[r] = r;
    }
    // descending score, ties by the random key; LeRF is the same sort ascending (same tie order)
    idx.sort((a, b) => (score[a] !== score[b] ? score[b] - score[a] : tie[a] - tie[b]));
    morf.set(idx, i * regions);
    idx.sort((a, b) => (score[a] !== score[b] ? score[a] - score[b] : tie[a] - tie[b]));
    lerf.set(idx, i * regions);
  }
  return { morf, lerf };
}

/** The pixel offsets (y·w + x) of each region, for writing replaced regions into a row. */
function regionPixels(h: number, w: number, patch: number): Int32Array[] {
  const rw = Math.ceil(w / patch);
  const out: Int32Array[] = [];
  for (let y0 = 0; y0 < h; y0 += patch)
    for (let x0 = 0; x0 < w; x0 += patch) {
      const px: number[] = [];
      for (let y = y0; y < Math.min(h, y0 + patch); y++)
        for (let x = x0; x < Math.min(w, x0 + patch); x++) px.push(y * w + x);
      out[(y0 / patch) * rw + x0 / patch] = Int32Array.from(px);
    }
  return out;
}

/** Channel-summed heatmaps as a flat `[N, H, W]` array. */
function heatmapData(heatmaps: tf.Tensor, x: tf.Tensor4D): Float32Array {
  const [n, h, w] = x.shape;
  const ok =
    heatmaps.shape[0] === n &&
    heatmaps.shape[1] === h &&
    heatmaps.shape[2] === w &&
    (heatmaps.rank === 3 || heatmaps.rank === 4);
  if (!ok) {
    throw new Error(
      `pixelFlipping: heatmaps have shape [${heatmaps.shape}] but x is [${x.shape}]; pass [N, H, W] or [N, H, W, C] relevance.`,
    );
  }
  return readData(() => (heatmaps.rank === 4 ? tf.sum(heatmaps, 3) : tf.clone(heatmaps)));
}

/**
 * Pixel flipping / region perturbation (Bach et al. 2015, Samek et al. 2017): regions of each image are
 * replaced in the order of their relevance, most relevant first (MoRF: a faithful heatmap makes the
 * target logit fall fast) and least relevant first (LeRF: it should stay), and the target logit and the
 * accuracy are recorded at every step. The ordering of each image's regions is computed once; every
 * (image, order, step) is a row that is written into one reused typed array on the CPU and evaluated in
 * forward passes of `batchSize` rows (no tensors per step), and the rows both orders share (the image and
 * its fully replaced copy) run once. So 100 steps of many images cost about what a plain batch evaluation
 * of 2 × steps × images costs. SRG = AUC(LeRF) − AUC(MoRF) (Blücher et al. 2024) rewards both.
 */
export function pixelFlipping(
  model: AttributionModel,
  x: tf.Tensor4D,
  heatmaps: tf.Tensor,
  options: PixelFlippingOptions,
): PixelFlippingResult {
  checkBatch(x, 'pixelFlipping');
  const [n, h, w] = x.shape;
  const steps = checkCount(options.steps ?? 100, 'steps', 'pixelFlipping');
  const patch = checkCount(options.patch ?? 4, 'patch', 'pixelFlipping');
  const batchSize = checkCount(options.batchSize ?? DEFAULT_BATCH_SIZE, 'batchSize', 'pixelFlipping');
  const orders = options.orders ?? (['morf', 'lerf'] as const);
  const replacement = options.replacement ?? 'mean';
  const normalize = options.normalize ?? 'none';
  const seed = options.seed ?? 0;
  const blurSigma = options.blurSigma ?? patch;
  if (normalize !== 'none' && normalize !== 'initial') {
    throw new Error(`pixelFlipping: normalize must be 'none' or 'initial', got '${normalize}'.`);
  }
  if (!options.target || options.target.length !== n) {
    throw new Error(`pixelFlipping: target must give one class per image (${n}).`);
  }
  const labels = options.labels ?? options.target;
  if (labels.length !== n) throw new Error(`pixelFlipping: labels must give one class per image (${n}).`);
  const heat = heatmapData(heatmaps, x);
  const rh = Math.ceil(h / patch);
  const rw = Math.ceil(w / patch);
  const regions = rh * rw;
  const flipped = Array.from({ length: steps + 1 }, (_, s) => Math.round((s * regions) / steps));
  const forward = forwardOf(model);
  const target = Int32Array.from(options.target);
  const label = Int32Array.from(labels);
  const c = x.shape[3];
  const hwc = h * w * c;
  const src = x.dataSync() as Float32Array;
  const repl = readData(() => replacementImages(x, replacement, { patch, blurSigma, seed }));
  const ordering = regionOrders(heat, n, h, w, patch, seed);
  const pixels = regionPixels(h, w, patch);

  // Rows to evaluate, each (image, order, regions flipped k) once: k = 0 (the image) and k = regions (all
  // replaced) are the same for both orders, and steps that flip the same count share a row.
  const middle = [...new Set(flipped.filter((k) => k > 0 && k < regions))];
  const slot = new Map(middle.map((k, j) => [k, j]));
  const perImage = 2 + orders.length * middle.length;
  const rows = n * perImage;
  const rowLogit = new Float32Array(rows);
  const rowCorrect = new Uint8Array(rows);
  const rowOf = (i: number, o: number, k: number) =>
    i * perImage + (k === 0 ? 0 : k === regions ? 1 : 2 + o * middle.length + slot.get(k)!);

  // Writes row r (image ⌊r / perImage⌋) into `buf` at `at`: a copy of the image with its first k regions
  // of the order replaced. Plain typed-array work, no tensors per step.
  const fill = (r: number, buf: Float32Array, at: number) => {
    const i = Math.floor(r / perImage);
    const q = r % perImage;
    const base = i * hwc;
    if (q === 1) {
      buf.set(repl.subarray(base, base + hwc), at);
      return;
    }
    buf.set(src.subarray(base, base + hwc), at);
    if (q === 0) return;
    const o = Math.floor((q - 2) / middle.length);
    const k = middle[(q - 2) % middle.length];
    const order = orders[o] === 'morf' ? ordering.morf : ordering.lerf;
    for (let j = 0; j < k; j++) {
      const px = pixels[order[i * regions + j]];
      for (let p = 0; p < px.length; p++) {
        const off = px[p] * c;
        for (let ch = 0; ch < c; ch++) buf[at + off + ch] = repl[base + off + ch];
      }
    }
  };

  const buf = new Float32Array(Math.min(batchSize, rows) * hwc);
  for (let start = 0; start < rows; start += batchSize) {
    const len = Math.min(batchSize, rows - start);
    for (let k = 0; k < len; k++) fill(start + k, buf, k * hwc);
    const out = tf.tidy(() => {
      const batch = tf.tensor4d(len === buf.length / hwc ? buf : buf.subarray(0, len * hwc), [len, h, w, c]);
      return forward(batch).dataSync() as Float32Array;
    });
    const classes = out.length / len;
    for (let k = 0; k < len; k++) {
      const r = start + k;
      const i = Math.floor(r / perImage);
      let best = 0;
      for (let j = 1; j < classes; j++) if (out[k * classes + j] > out[k * classes + best]) best = j;
      rowLogit[r] = out[k * classes + target[i]];
      rowCorrect[r] = best === label[i] ? 1 : 0;
    }
    options.onProgress?.(start + len, rows);
  }

  const fraction = flipped.map((_, s) => s / steps);
  const curves: Partial<Record<FlipOrder, { curve: FlipCurve; perImageAuc: Float64Array }>> = {};
  orders.forEach((order, o) => {
    const logit = new Array<number>(steps + 1).fill(0);
    const accuracy = new Array<number>(steps + 1).fill(0);
    const perImage = new Float64Array(n);
    const ys = new Array<number>(steps + 1);
    for (let i = 0; i < n; i++) {
      for (let s = 0; s <= steps; s++) {
        const r = rowOf(i, o, flipped[s]);
        ys[s] = rowLogit[r];
        logit[s] += rowLogit[r] / n;
        accuracy[s] += rowCorrect[r] / n;
      }
      perImage[i] = auc(ys, fraction);
    }
    const scale = normalize === 'initial' ? 1 / logit[0] : 1;
    const scaled = logit.map((v) => v * scale);
    curves[order] = {
      curve: {
        logit: scaled,
        accuracy,
        aucLogit: auc(scaled, fraction),
        aucAccuracy: auc(accuracy, fraction),
        aopcLogit: aopc(scaled),
        aopcAccuracy: aopc(accuracy),
      },
      perImageAuc: perImage.map((v) => v * scale),
    };
  });
  const protocol: PixelFlippingProtocol = {
    steps,
    patch,
    regions,
    replacement: String(replacement),
    normalize,
    regionScore: 'sum',
    tieBreak: 'seeded random',
    axis: 'fraction of steps',
    auc: 'trapezoid on [0, 1]',
    aopc: 'mean over s = 0..steps of f(x⁰) − f(xˢ)',
    srg: 'AUC(LeRF) − AUC(MoRF)',
    images: n,
    seed,
    ...(replacement === 'blur' ? { blurSigma } : {}),
  };
  const out: PixelFlippingResult = { protocol, fraction, forwardRows: rows };
  if (curves.morf) out.morf = curves.morf.curve;
  if (curves.lerf) out.lerf = curves.lerf.curve;
  if (curves.morf && curves.lerf) {
    const d = Array.from(curves.lerf.perImageAuc, (v, i) => v - curves.morf!.perImageAuc[i]);
    const mean = d.reduce((a, b) => a + b, 0) / n;
    const sd = n > 1 ? Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
    out.srg = {
      logit: curves.lerf.curve.aucLogit - curves.morf.curve.aucLogit,
      accuracy: curves.lerf.curve.aucAccuracy - curves.morf.curve.aucAccuracy,
      logitStdError: sd / Math.sqrt(n),
    };
  }
  return out;
}
