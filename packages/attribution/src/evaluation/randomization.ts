import * as tf from '@tensorflow/tfjs';
import { readData } from '../model';
import { minMaxScale, spearman, ssim } from './similarity';

export interface RandomizationOptions {
  /** Layers to randomise, in the order given (default: every layer with weights, top to bottom). */
  layers?: readonly string[];
  /**
   * Compare the heatmaps after at most this many steps, evenly spread over the cascade (the last layer
   * always included); deep nets need not be explained after every single layer. Default: every layer.
   */
  checkpoints?: number;
  /** Seed of the random weights. Default 0. */
  seed?: number;
  /** Called after each step with steps done and total. */
  onProgress?: (done: number, total: number) => void;
}

/** Similarity of the heatmaps after randomising the layers down to `layer` (top to bottom, cumulative). */
export interface RandomizationStep {
  /** 'original' for the unmodified model (similarity 1), else the lowest layer randomised so far. */
  layer: string;
  /** Mean over images of the Spearman rank correlation of the signed heatmaps with the original ones. */
  spearman: number;
  /** The same on |heatmap| (Adebayo et al. report both). */
  spearmanAbs: number;
  /** Mean SSIM of the min-max scaled heatmaps. */
  ssim: number;
}

export interface RandomizationResult {
  steps: RandomizationStep[];
  protocol: {
    kind: 'cascading, top to bottom';
    weights: 'N(0, σ²) with σ the standard deviation of the original tensor (zero tensors stay zero)';
    ssim: '7×7 uniform window on min-max scaled maps';
    images: number;
    seed: number;
  };
}

/** A heatmap per image, `[N, H, W]` (or `[N, H, W, C]`, summed over channels), for the model as it is now. */
export type HeatmapFunction = (model: tf.LayersModel) => tf.Tensor;

function maps(t: tf.Tensor): { data: Float32Array; n: number; h: number; w: number } {
  const [n, h, w] = t.shape;
  const data = readData(() => (t.rank === 4 ? tf.sum(t, 3) : tf.clone(t)));
  return { data, n, h, w };
}

/**
 * The cascading model-parameter randomisation test of Adebayo et al. (2018): the layers' weights are
 * replaced by random ones from the top layer down, one more layer per step, and the heatmaps are
 * compared with the original ones. A method that explains the model must drift away (correlation and
 * SSIM fall); one that stays similar explains the input, not the model. The original weights are
 * restored before returning, also after an error.
 */
export function cascadingRandomization(
  model: tf.LayersModel,
  heatmap: HeatmapFunction,
  options: RandomizationOptions = {},
): RandomizationResult {
  const seed = options.seed ?? 0;
  const layers = (
    options.layers ??
    model.layers
      .filter((l) => l.countParams() > 0)
      .map((l) => l.name)
      .reverse()
  ).map((name) => {
    try {
      return model.getLayer(name);
    } catch {
      throw new Error(`cascadingRandomization: the model has no layer '${name}'.`);
    }
  });
  const saved = layers.map((l) => l.getWeights().map((t) => tf.clone(t)));
  try {
    const first = heatmap(model);
    const original = maps(first);
    first.dispose();
    const { n, h, w } = original;
    const size = h * w;
    const ref = Array.from({ length: n }, (_, i) => original.data.subarray(i * size, (i + 1) * size));
    const refAbs = ref.map((r) => r.map(Math.abs));
    const refScaled = ref.map(minMaxScale);
    const steps: RandomizationStep[] = [{ layer: 'original', spearman: 1, spearmanAbs: 1, ssim: 1 }];
    const every = Math.max(1, Math.ceil(layers.length / (options.checkpoints ?? layers.length)));
    layers.forEach((layer, k) => {
      const fresh = tf.tidy(() =>
        layer.getWeights().map((wt, j) => {
          const sd = tf.moments(wt).variance.sqrt().dataSync()[0];
          return sd > 0 ? tf.randomNormal(wt.shape, 0, sd, 'float32', seed + 1000 * k + j) : tf.zerosLike(wt);
        }),
      );
      layer.setWeights(fresh);
      tf.dispose(fresh);
      if ((k + 1) % every !== 0 && k !== layers.length - 1) return;
      const t = heatmap(model);
      const now = maps(t);
      t.dispose();
      let rs = 0;
      let ra = 0;
      let ss = 0;
      for (let i = 0; i < n; i++) {
        const m = now.data.subarray(i * size, (i + 1) * size);
        rs += nanToZero(spearman(ref[i], m)) / n;
        ra += nanToZero(spearman(refAbs[i], m.map(Math.abs))) / n;
        ss += ssim(refScaled[i], minMaxScale(m), h, w) / n;
      }
      steps.push({ layer: layer.name, spearman: rs, spearmanAbs: ra, ssim: ss });
      options.onProgress?.(k + 1, layers.length);
    });
    return {
      steps,
      protocol: {
        kind: 'cascading, top to bottom',
        weights: 'N(0, σ²) with σ the standard deviation of the original tensor (zero tensors stay zero)',
        ssim: '7×7 uniform window on min-max scaled maps',
        images: n,
        seed,
      },
    };
  } finally {
    layers.forEach((l, i) => l.setWeights(saved[i]));
    saved.forEach((ws) => tf.dispose(ws));
  }
}

/** A constant heatmap has no rank order: it counts as uncorrelated. */
function nanToZero(v: number): number {
  return Number.isNaN(v) ? 0 : v;
}
