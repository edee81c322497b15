/**
 * `evaluate-explanations`: every explanation method of a run's nets measured by pixel flipping and by the
 * cascading randomization check (@lrpjs/attribution), LRP composites taken from @lrpjs/lrp's registry.
 */
import type { PixelFlippingResult, RandomizationResult, Replacement } from '@lrpjs/attribution';
import { BASELINE_NAMES } from '@lrpjs/attribution/catalog';
import * as tf from '@tensorflow/tfjs';
import { UsageError } from './errors';

/** The methods evaluated when --methods is not given: three LRP composites and every baseline. */
export const DEFAULT_METHODS = [
  'lrp:tutorial',
  'lrp:epsilon-plus',
  'lrp:epsilon-gamma-box',
  ...BASELINE_NAMES,
] as const;

/** Checks a --methods list against the composite catalogue and the baseline names. */
export async function parseMethods(value: string, flag = '--methods'): Promise<string[]> {
  const { COMPOSITE_NAMES } = await import('@lrpjs/lrp/catalog');
  const known = [...COMPOSITE_NAMES.map((n) => `lrp:${n}`), ...BASELINE_NAMES];
  const methods = [
    ...new Set(
      value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  const bad = methods.find((m) => !known.includes(m));
  if (bad !== undefined || methods.length === 0) {
    throw new UsageError(`${flag}: unknown method '${bad ?? value}'`, `choose from ${known.join(', ')}`);
  }
  return methods;
}

/** How a method is named in tables and legends. */
export async function methodLabel(method: string): Promise<string> {
  if (method.startsWith('lrp:')) {
    const { compositeInfo } = await import('@lrpjs/lrp/catalog');
    return `LRP ${compositeInfo(method.slice(4)).label ?? method.slice(4)}`;
  }
  const { BASELINE_CATALOG, isBaselineName } = await import('@lrpjs/attribution');
  return isBaselineName(method) ? BASELINE_CATALOG[method].label : method;
}

/** Images per explanation call: the heavy methods make many copies of each image. */
const HEATMAP_CHUNK = 16;

/**
 * Heatmaps `[N, H, W]` (relevance summed over channels) of `method` for `x`, explaining `targets`;
 * computed a chunk of images at a time so memory stays bounded. The caller disposes the result.
 */
export async function heatmaps(
  method: string,
  model: tf.LayersModel,
  x: tf.Tensor4D,
  targets: readonly number[],
  batchSize: number,
): Promise<tf.Tensor3D> {
  const lrp = await import('@lrpjs/lrp');
  const attribution = await import('@lrpjs/attribution');
  const composite = method.startsWith('lrp:') ? lrp.createComposite(method.slice(4)) : undefined;
  const n = x.shape[0];
  const parts: tf.Tensor3D[] = [];
  try {
    for (let s = 0; s < n; s += HEATMAP_CHUNK) {
      const len = Math.min(HEATMAP_CHUNK, n - s);
      const xi = tf.slice(x, s, len);
      const target = targets.slice(s, s + len);
      try {
        const r = composite
          ? // A diverging composite (the tutorial's γ on net4) is compared, not refused: it scores badly.
            lrp.explain(model, xi, { target, composite, divergenceLimit: Infinity })
          : attribution.runBaseline(method, model, xi, { target, batchSize });
        parts.push(tf.tidy(() => tf.sum(r.relevance, 3) as tf.Tensor3D));
        tf.dispose([r.relevance, r.output]);
      } finally {
        xi.dispose();
      }
      await tf.nextFrame();
    }
    return parts.length === 1 ? parts[0] : (tf.concat(parts, 0) as tf.Tensor3D);
  } finally {
    if (parts.length > 1) tf.dispose(parts);
  }
}

export interface MethodEvaluation {
  method: string;
  label: string;
  /** Seconds to compute the heatmaps of all images. */
  explainSeconds: number;
  /** Seconds of pixel flipping (both orders). */
  flipSeconds: number;
  /** Perturbed images evaluated per second: images × (steps + 1) × orders / flipSeconds. */
  imageStepsPerSecond: number;
  /** Mean Σ relevance / target logit over the images (1: conservative). */
  completenessRatio: number;
  pixelFlipping: PixelFlippingResult;
  sanity?: RandomizationResult;
}

export interface NetEvaluation {
  net: string;
  images: number;
  testIndices: number[];
  methods: MethodEvaluation[];
  /** The image shown explained by every method: its test index and class. */
  example: { testIndex: number; target: number };
}

export interface EvaluationSettings {
  methods: string[];
  steps: number;
  patch: number | 'auto';
  replacement: Replacement;
  batchSize: number;
  sanityImages: number;
  sanityCheckpoints: number;
  seed: number;
}

/**
 * Rows per forward pass for h × w inputs: `batchSize` at 64 × 64, proportionally fewer for larger inputs
 * (150 × 150: 46). Batches of the same pixel count keep activations cache-sized: the face backbone ran at
 * 10.0 ms per image in batches of 32 and 13.3 ms in batches of 256.
 */
export function rowsPerPass(batchSize: number, h: number, w: number): number {
  return Math.max(1, Math.min(batchSize, Math.floor((batchSize * 64 * 64) / (h * w))));
}

/** Region side for an input size: about 16 regions per side (64 → 4, 150 → 9). */
export function patchFor(size: number, patch: number | 'auto'): number {
  return patch === 'auto' ? Math.max(1, Math.round(size / 16)) : patch;
}

/**
 * Evaluates every method on one net. `x` holds the normalised test images, `labels` their classes (the
 * target explained and the label of the accuracy curves). Calls `onRows` with rows of forward passes done.
 * Returns the evaluation and each method's heatmap of image 0 (for the side-by-side figure).
 */
export async function evaluateNet(
  net: string,
  model: tf.LayersModel,
  x: tf.Tensor4D,
  labels: number[],
  testIndices: number[],
  settings: EvaluationSettings,
  onProgress: (done: number, detail: string) => void,
): Promise<{ evaluation: NetEvaluation; examples: Float32Array[] }> {
  const { pixelFlipping, cascadingRandomization } = await import('@lrpjs/attribution');
  const [n, h, w] = x.shape;
  const patch = patchFor(h, settings.patch);
  const batchSize = rowsPerPass(settings.batchSize, h, w);
  const methods: MethodEvaluation[] = [];
  const examples: Float32Array[] = [];
  let done = 0;
  for (const method of settings.methods) {
    const label = await methodLabel(method);
    onProgress(done, `${label}: explaining`);
    const t0 = performance.now();
    const heat = await heatmaps(method, model, x, labels, batchSize);
    const explainSeconds = (performance.now() - t0) / 1000;
    try {
      examples.push(tf.tidy(() => tf.slice(heat, 0, 1).dataSync() as Float32Array));
      const completenessRatio = await meanCompleteness(model, x, heat, labels);
      const flipRows = n * (settings.steps + 1) * 2;
      const t1 = performance.now();
      const pf = pixelFlipping(model, x, heat, {
        target: labels,
        steps: settings.steps,
        patch,
        replacement: settings.replacement,
        batchSize,
        seed: settings.seed,
        // the bar counts nominal rows (images × (steps + 1) × 2); shared rows make the real count smaller
        onProgress: (rows, total) => onProgress(done + Math.round((rows / total) * flipRows), `${label}: flipping`),
      });
      const flipSeconds = (performance.now() - t1) / 1000;
      done += flipRows;
      let sanity: RandomizationResult | undefined;
      const m = Math.min(settings.sanityImages, n);
      if (m > 0) {
        onProgress(done, `${label}: randomization check`);
        const xs = tf.slice(x, 0, m);
        try {
          // heatmaps() is async (it yields between chunks); the check needs a synchronous function.
          sanity = cascadingRandomization(model, (mm) => syncHeatmaps(method, mm, xs, labels.slice(0, m), settings), {
            checkpoints: settings.sanityCheckpoints,
            seed: settings.seed,
          });
        } finally {
          xs.dispose();
        }
      }
      methods.push({
        method,
        label,
        explainSeconds: round(explainSeconds),
        flipSeconds: round(flipSeconds),
        imageStepsPerSecond: round((n * (settings.steps + 1) * 2) / flipSeconds),
        completenessRatio: round(completenessRatio),
        pixelFlipping: pf,
        ...(sanity ? { sanity } : {}),
      });
    } finally {
      heat.dispose();
    }
  }
  return {
    evaluation: { net, images: n, testIndices, methods, example: { testIndex: testIndices[0], target: labels[0] } },
    examples,
  };
}

let syncModules: { lrp: typeof import('@lrpjs/lrp'); attribution: typeof import('@lrpjs/attribution') } | undefined;

/** {@link heatmaps} without yielding (the modules are loaded by the first async call). */
function syncHeatmaps(
  method: string,
  model: tf.LayersModel,
  x: tf.Tensor4D,
  targets: number[],
  settings: EvaluationSettings,
): tf.Tensor {
  const { lrp, attribution } = syncModules!;
  const r = method.startsWith('lrp:')
    ? lrp.explain(model, x, {
        target: targets,
        composite: lrp.createComposite(method.slice(4)),
        divergenceLimit: Infinity, // compared, not refused (see heatmaps)
      })
    : attribution.runBaseline(method, model, x, { target: targets, batchSize: settings.batchSize });
  r.output.dispose();
  return r.relevance;
}

/** Loads the modules {@link syncHeatmaps} uses. */
export async function loadMethodModules(): Promise<void> {
  syncModules = { lrp: await import('@lrpjs/lrp'), attribution: await import('@lrpjs/attribution') };
}

/** Mean over images of Σ heatmap / f_target(x). */
async function meanCompleteness(model: tf.LayersModel, x: tf.Tensor4D, heat: tf.Tensor3D, labels: number[]) {
  const { forwardOf } = await import('@lrpjs/attribution');
  const forward = forwardOf(model);
  const n = x.shape[0];
  const sums = tf.tidy(() => tf.sum(tf.reshape(heat, [n, -1]), 1).dataSync() as Float32Array);
  let total = 0;
  for (let s = 0; s < n; s += 64) {
    const len = Math.min(64, n - s);
    const out = tf.tidy(() => forward(tf.slice(x, s, len)).dataSync() as Float32Array);
    const k = out.length / len;
    for (let i = 0; i < len; i++) total += sums[s + i] / out[i * k + labels[s + i]];
  }
  return total / n;
}

function round(v: number, digits = 4): number {
  return Number.isFinite(v) ? Number(v.toPrecision(digits)) : v;
}
