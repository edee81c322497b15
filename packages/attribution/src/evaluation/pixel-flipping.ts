import * as tf from '@tensorflow/tfjs';
import { DEFAULT_BATCH_SIZE } from '../grad';
import { checkBatch, checkCount, forwardOf } from '../model';
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
  /** Called after each forward pass with rows done and total rows. */
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
  morf?: FlipCurve;
  lerf?: FlipCurve;
  /** SRG = AUC(LeRF) − AUC(MoRF) of the logit and of the accuracy curves (with both orders). */
  srg?: { logit: number; accuracy: number; logitStdError: number };
}

/** Per-image ranks of the regions, by relevance (`descending`: most relevant first), ties at random. */
function regionRanks(
  heat: Float32Array,
  n: number,
  h: number,
  w: number,
  patch: number,
  descending: boolean,
  seed: number,
): Float32Array {
  const rh = Math.ceil(h / patch);
  const rw = Math.ceil(w / patch);
  const regions = rh * rw;
  const random = seededRandom(seed);
  const ranks = new Float32Array(n * regions);
  const score = new Float64Array(regions);
  const tie = new Float64Array(regions);
  for (let i = 0; i < n; i++) {
    score.fill(0);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        score[Math.floor(y / patch) * rw + Math.floor(x / patch)] += heat[(i * h + y) * w + x];
    for (let r = 0; r < regions; r++) tie[r] = random();
    const order = Array.from({ length: regions }, (_, r) => r).sort((a, b) =>
      score[a] !== score[b] ? (descending ? score[b] - score[a] : score[a] - score[b]) : tie[a] - tie[b],
    );
    order.forEach((r, rank) => (ranks[i * regions + r] = rank));
  }
  return ranks;
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
  return tf.tidy(() => (heatmaps.rank === 4 ? tf.sum(heatmaps, 3) : heatmaps).dataSync() as Float32Array);
}

/**
 * Pixel flipping / region perturbation (Bach et al. 2015, Samek et al. 2017): regions of each image are
 * replaced in the order of their relevance, most relevant first (MoRF: a faithful heatmap makes the
 * target logit fall fast) and least relevant first (LeRF: it should stay), and the target logit and the
 * accuracy are recorded at every step. Every (image, step) pair of every order is a row of a few large
 * forward passes of `batchSize` rows, so 100 steps of many images cost what a plain batch evaluation of
 * (steps + 1) × images costs. SRG = AUC(LeRF) − AUC(MoRF) (Blücher et al. 2024) rewards both.
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
  const replaced = replacementImages(x, replacement, { patch, blurSigma, seed });
  const target = Int32Array.from(options.target);
  const label = Int32Array.from(labels);

  // The rank of each pixel's region, as an image: pixel (y, x) is perturbed at step s iff rank < flipped[s].
  const pixelRanks = (descending: boolean) => {
    const ranks = regionRanks(heat, n, h, w, patch, descending, seed);
    const px = new Float32Array(n * h * w);
    for (let i = 0; i < n; i++)
      for (let y = 0; y < h; y++)
        for (let xx = 0; xx < w; xx++)
          px[(i * h + y) * w + xx] = ranks[i * regions + Math.floor(y / patch) * rw + Math.floor(xx / patch)];
    return tf.tensor4d(px, [n, h, w, 1]);
  };

  const rows = n * (steps + 1);
  const total = rows * orders.length;
  let done = 0;
  const run = (order: FlipOrder) => {
    const ranks = pixelRanks(order === 'morf');
    const logits = new Float32Array(rows);
    const correct = new Uint8Array(rows);
    try {
      for (let start = 0; start < rows; start += batchSize) {
        const len = Math.min(batchSize, rows - start);
        const [values, argmax] = tf.tidy(() => {
          // row r = image ⌊r/(steps+1)⌋ at step r mod (steps+1)
          const idx = Array.from({ length: len }, (_, k) => start + k);
          const img = tf.tensor1d(
            idx.map((r) => Math.floor(r / (steps + 1))),
            'int32',
          );
          const limit = tf.tensor4d(
            idx.map((r) => flipped[r % (steps + 1)]),
            [len, 1, 1, 1],
          );
          const mask = tf.cast(tf.less(tf.gather(ranks, img), limit), 'float32');
          const xi = tf.gather(x, img);
          const perturbed = tf.add(xi, tf.mul(tf.sub(tf.gather(replaced, img), xi), mask));
          const out = forward(perturbed);
          const rowIdx = tf.tensor2d(
            idx.map((_, k) => [k, target[Math.floor((start + k) / (steps + 1))]]),
            [len, 2],
            'int32',
          );
          return [tf.gatherND(out, rowIdx).dataSync() as Float32Array, tf.argMax(out, 1).dataSync() as Int32Array];
        });
        logits.set(values, start);
        for (let k = 0; k < len; k++)
          correct[start + k] = argmax[k] === label[Math.floor((start + k) / (steps + 1))] ? 1 : 0;
        done += len;
        options.onProgress?.(done, total);
      }
    } finally {
      ranks.dispose();
    }
    return { logits, correct };
  };

  const fraction = flipped.map((_, s) => s / steps);
  const curves: Partial<Record<FlipOrder, { curve: FlipCurve; perImageAuc: Float64Array }>> = {};
  try {
    for (const order of orders) {
      const { logits, correct } = run(order);
      const logit = new Array<number>(steps + 1).fill(0);
      const accuracy = new Array<number>(steps + 1).fill(0);
      for (let i = 0; i < n; i++)
        for (let s = 0; s <= steps; s++) {
          logit[s] += logits[i * (steps + 1) + s] / n;
          accuracy[s] += correct[i * (steps + 1) + s] / n;
        }
      const scale = normalize === 'initial' ? 1 / logit[0] : 1;
      const ys = logit.map((v) => v * scale);
      const perImageAuc = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        perImageAuc[i] = auc(
          Array.from(logits.subarray(i * (steps + 1), (i + 1) * (steps + 1)), (v) => v * scale),
          fraction,
        );
      }
      curves[order] = {
        curve: {
          logit: ys,
          accuracy,
          aucLogit: auc(ys, fraction),
          aucAccuracy: auc(accuracy, fraction),
          aopcLogit: aopc(ys),
          aopcAccuracy: aopc(accuracy),
        },
        perImageAuc,
      };
    }
  } finally {
    replaced.dispose();
  }
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
  const out: PixelFlippingResult = { protocol, fraction };
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
