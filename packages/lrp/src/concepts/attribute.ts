import * as tf from '@tensorflow/tfjs';
import type { Composite } from '../composites/composite';
import { tutorialComposite } from '../composites/presets';
import { compositeEntry } from '../engine/cache';
import { propagate } from '../engine/propagate';
import { explain, type ExplainResult, type Target } from '../explain';
import { runForward } from '../graph/forward';
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
  /** Per image: the channel and the flat cell index (y · width + x) of the neuron. */
  channels: readonly number[];
  cells: readonly number[];
  composite?: Composite;
}

/**
 * The input heatmap (relevance summed over input channels, [N, H, W]) of one neuron per image, with
 * relevance 1 put on the neuron and propagated from its layer down. Rules are linear in the upper
 * relevance, so this is the neuron's conditional heatmap for any target up to one factor (its
 * relevance), at the cost of the layers below it only. Its support is the part of the receptive
 * field that matters: what reference crops show. Leaves no tensors behind.
 */
export function neuronHeatmaps(model: tf.LayersModel, x: tf.Tensor4D, options: NeuronHeatmapsOptions): Float32Array {
  const n = x.shape[0];
  if (options.channels.length !== n || options.cells.length !== n) {
    throw new Error(`lrp: neuronHeatmaps needs one channel and cell per image (${n}).`);
  }
  const entry = compositeEntry(model, options.composite ?? tutorialComposite());
  const graph = entry.graph;
  const value = graph.layers.find((l) => l.name === options.layer)?.value;
  if (value === undefined || value === graph.input) {
    throw new Error(`lrp: no layer "${options.layer}"; layers: ${graph.layers.map((l) => l.name).join(', ')}.`);
  }
  // The sum is read outside tf.tidy, which would walk a returned typed array element by element.
  const maps = tf.tidy(() => {
    const values = runForward(graph, x);
    const shape = values[value].shape;
    const k = shape[shape.length - 1];
    const cells = shape.slice(1, -1).reduce((a, b) => a * b, 1);
    const seed = new Float32Array(n * cells * k);
    options.channels.forEach((c, i) => {
      const cell = options.cells[i];
      if (!(c >= 0 && c < k && cell >= 0 && cell < cells)) {
        throw new Error(`lrp: neuron (channel ${c}, cell ${cell}) is outside layer "${options.layer}" ${shape}.`);
      }
      seed[(i * cells + cell) * k + c] = 1;
    });
    const relevance = propagate(entry, values, value, tf.tensor(seed, shape), 1);
    const r = relevance.get(graph.input) ?? tf.zerosLike(x);
    return tf.sum(r, 3);
  });
  try {
    return maps.dataSync() as Float32Array;
  } finally {
    maps.dispose();
  }
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
