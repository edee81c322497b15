import * as tf from '@tensorflow/tfjs';
import type { Composite } from '../composites/composite';
import { explain, type ExplainResult, type Target } from '../explain';
import type { Condition, Region } from './conditions';

/** Options of {@link conceptHeatmaps}. */
export interface ConceptHeatmapsOptions {
  /** One target per image (class index, one per image, or 'predicted'). */
  target: Target;
  layer: string;
  /** One heatmap per channel (concept). */
  channels: readonly number[];
  /** Restrict each concept to a region of the layer's grid (local analysis). Default: everywhere. */
  region?: Region;
  composite?: Composite;
}

/**
 * The conditional relevance of each channel of `layer`: one input-relevance row per (image, channel),
 * image-major (row i·C + c), from one forward and one batched backward pass. The caller disposes the
 * tensors of the result.
 */
export function conceptHeatmaps<T extends tf.Tensor = tf.Tensor4D>(
  model: tf.LayersModel,
  x: T,
  options: ConceptHeatmapsOptions,
): ExplainResult<T> {
  if (options.channels.length === 0) throw new Error('lrp: conceptHeatmaps needs at least one channel.');
  const conditions: Condition[] = options.channels.map((c) => ({
    layer: options.layer,
    channels: [c],
    ...(options.region ? { region: options.region } : {}),
  }));
  return explain(model, x, { target: options.target, composite: options.composite, conditions });
}

/** Options of {@link neuronHeatmaps}. */
export interface NeuronHeatmapsOptions {
  layer: string;
  /** Per image: the class, the channel and the flat cell index (y · width + x) of the neuron. */
  targets: readonly number[];
  channels: readonly number[];
  cells: readonly number[];
  composite?: Composite;
}

/**
 * The input heatmap (relevance summed over input channels, [N, H, W]) of one neuron per image: the
 * relevance of the target that passes through channel c at one cell. Its support is the part of the
 * neuron's receptive field that matters, which is what reference crops show. Leaves no tensors behind.
 */
export function neuronHeatmaps(model: tf.LayersModel, x: tf.Tensor4D, options: NeuronHeatmapsOptions): Float32Array {
  const n = x.shape[0];
  const width = layerWidth(model, options.layer);
  const perImage = options.channels.map((c, i) => {
    const cell = options.cells[i];
    const y = Math.floor(cell / width);
    const xx = cell % width;
    return [{ layer: options.layer, channels: [c], region: { y0: y, x0: xx, y1: y + 1, x1: xx + 1, units: 'layer' } }];
  }) as Condition[][];
  if (perImage.length !== n || options.targets.length !== n || options.cells.length !== n) {
    throw new Error(`lrp: neuronHeatmaps needs one target, channel and cell per image (${n}).`);
  }
  const res = explain(model, x, {
    target: [...options.targets],
    composite: options.composite,
    conditions: { perImage },
  });
  try {
    return tf.tidy(() => tf.sum(res.relevance, 3).dataSync() as Float32Array);
  } finally {
    tf.dispose([res.relevance, res.output]);
  }
}

function layerWidth(model: tf.LayersModel, name: string): number {
  let shape: (number | null)[];
  try {
    shape = model.getLayer(name).outputShape as (number | null)[];
  } catch {
    throw new Error(`lrp: model has no layer "${name}".`);
  }
  return shape.length === 4 ? (shape[2] as number) : 1;
}

/** Options of {@link conceptsInRegion}. */
export interface ConceptsInRegionOptions {
  /** One class per image, or 'predicted'. */
  target: Target;
  layer: string;
  /** The image region, in input pixels (half-open). */
  region: { y0: number; x0: number; y1: number; x1: number };
  /** Channels to score. Default: all of the layer. */
  channels?: readonly number[];
  /** Channels per backward pass. Default 32. */
  batch?: number;
  composite?: Composite;
}

/** A concept's relevance inside an image region. */
export interface RegionConcept {
  channel: number;
  /** Σ of the concept's conditional input relevance inside the region. */
  relevance: number;
  /** relevance / Σ of the plain heatmap inside the region. */
  share: number;
}

/**
 * Local analysis: which concepts make a region of the heatmap relevant. Each channel's conditional
 * heatmap is summed inside the region; since the channels' heatmaps add up to the plain heatmap, the
 * shares over all channels sum to 1. Per image, channels sorted by relevance. Leaves no tensors behind.
 */
export function conceptsInRegion(
  model: tf.LayersModel,
  x: tf.Tensor4D,
  options: ConceptsInRegionOptions,
): RegionConcept[][] {
  const n = x.shape[0];
  const k = (model.getLayer(options.layer).outputShape as number[]).slice(-1)[0];
  const channels = options.channels ?? Array.from({ length: k }, (_, c) => c);
  const { y0, x0, y1, x1 } = options.region;
  const [, h, w] = x.shape;
  if (!(y0 >= 0 && x0 >= 0 && y1 <= h && x1 <= w && y0 < y1 && x0 < x1)) {
    throw new Error(`lrp: region [${y0},${y1})×[${x0},${x1}) is empty or outside the ${h}×${w} input.`);
  }
  const inside = (r: tf.Tensor): Float32Array =>
    tf.tidy(
      () =>
        tf.sum(tf.slice(r, [0, y0, x0, 0], [r.shape[0], y1 - y0, x1 - x0, -1]), [1, 2, 3]).dataSync() as Float32Array,
    );
  const plain = explain(model, x, { target: options.target, composite: options.composite });
  const totals = inside(plain.relevance);
  const targets = Array.from(plain.targets);
  tf.dispose([plain.relevance, plain.output]);
  const out: RegionConcept[][] = Array.from({ length: n }, () => []);
  const step = options.batch ?? 32;
  for (let a = 0; a < channels.length; a += step) {
    const part = channels.slice(a, a + step);
    const res = conceptHeatmaps(model, x, {
      target: targets,
      layer: options.layer,
      channels: part,
      composite: options.composite,
    });
    const sums = inside(res.relevance);
    tf.dispose([res.relevance, res.output]);
    for (let i = 0; i < n; i++) {
      part.forEach((c, j) => {
        const relevance = sums[i * part.length + j];
        out[i].push({ channel: c, relevance, share: totals[i] === 0 ? 0 : relevance / totals[i] });
      });
    }
  }
  for (const list of out) list.sort((p, q) => q.relevance - p.relevance || p.channel - q.channel);
  return out;
}
