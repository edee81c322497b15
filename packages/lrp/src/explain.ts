import * as tf from '@tensorflow/tfjs';
import { buildMasks, conditionsPerImage, type Conditions } from './concepts/conditions';
import type { Composite } from './composites/composite';
import { tutorialComposite } from './composites/presets';
import { recommendedComposite } from './composites/registry';
import { compositeEntry, trimCache, type ExplainableModel } from './engine/cache';
import { isGraphModel } from './graph-import';
import { propagate, type PropagationStep } from './engine/propagate';
import type { CompositeEntry } from './engine/cache';
import { diagnosticsTensor, firstNonFinite, readDiagnostics, ruleName, type Diagnostics } from './engine/diagnostics';
import { runForward } from './graph/forward';
import type { Graph } from './graph/types';
import { repeatRows } from './ops/repeat';

/**
 * What to explain, per image:
 * - a class index (the same for every image);
 * - one class index per image;
 * - several class indices per image (`number[][]`, the same count for every image): one relevance map
 *   per (image, class) from a single forward pass;
 * - a `[N, classes]` tensor: one-hot, or any weighting of the outputs (relevance starts at f(x)·T);
 * - 'predicted': the arg-max class of each image.
 */
export type Target = number | number[] | number[][] | tf.Tensor | 'predicted';

/** Options of {@link explain}. */
export interface ExplainOptions {
  target: Target;
  /** Which rule applies where. Default: {@link tutorialComposite}(). */
  composite?: Composite;
  /** Also return the relevance at every layer's output. Default false. */
  returnLayers?: boolean;
  /**
   * GraphModels only: the graph node to explain. Default: the model's output, skipping a final
   * Softmax or Sigmoid.
   */
  output?: string;
  /**
   * Also return per-layer relevance sums (what reached each layer, what it passed down, what its bias
   * and stabilizer absorbed), to see where relevance is lost. Default false (it reads a few numbers
   * per layer back from the backend).
   */
  diagnostics?: boolean;
  /**
   * A final softmax or sigmoid is skipped by default: relevance starts from the logits (a sigmoid
   * explained through would reverse the colours of negative logits). true: start from the
   * probabilities instead, the activation passing relevance through. Default false.
   */
  explainProbability?: boolean;
  /**
   * Concept Relevance Propagation: one relevance row per (image, target, condition), each with the
   * relevance at the named layers masked to the condition's channels/region. Default: none (plain LRP).
   * The rows of all channels of a layer sum to the unconditioned relevance.
   */
  conditions?: Conditions;
  /**
   * An unstable rule makes relevance grow layer after layer (e.g. LRP-γ with a plain +ε where outputs
   * of either sign meet, as in MobileNet's linear bottlenecks: |ΣR| of 1e11–1e24 for logits near 5).
   * explain fails, naming the layer, when |Σ R| at the input of an image exceeds this multiple of the
   * image's largest |logit|. Default 1e6 (conserving rules stay near or below 1); `Infinity` turns the
   * check off.
   */
  divergenceLimit?: number;
}

/** Relevance at one layer's output (the input layer: the input relevance). */
export interface LayerRelevance {
  name: string;
  className: string;
  relevance: tf.Tensor;
}

/** Result of {@link explain}. The caller owns and disposes every tensor in it. */
export interface ExplainResult<T extends tf.Tensor = tf.Tensor4D> {
  /**
   * Input relevance, the input's shape with N × targetsPerImage × conditionsPerImage rows (image-major:
   * row (i·T + j)·C + c is image i, target j, condition c). Summing it over channels gives the heatmap.
   */
  relevance: T;
  /** The model's output [N, classes] (the logits when the model ends in a softmax or sigmoid, see README). */
  output: tf.Tensor2D;
  /** The class explained by each relevance row (arg-max of the row for tensor targets). */
  targets: Int32Array;
  targetsPerImage: number;
  /** Conditions per (image, target); 1 without `conditions`. */
  conditionsPerImage: number;
  /** With `returnLayers`: every layer in forward order, input layer first. */
  layers?: LayerRelevance[];
  /** With `diagnostics`: relevance sums per layer and row. */
  diagnostics?: Diagnostics;
}

/** Runs `f`, then brings the weight cache back under its bound, even when `f` throws. */
function afterwardsTrim<R>(entry: CompositeEntry, f: () => R): R {
  try {
    return f();
  } finally {
    trimCache(entry);
  }
}

/** Activations a model's output is squashed by, skipped unless `explainProbability`. */
const FINAL_ACTIVATIONS = new Set(['softmax', 'sigmoid']);

/** What to try when relevance is not finite or diverged: the model's recommended preset, unless it failed. */
function divergenceFix(model: ExplainableModel, entry: CompositeEntry): string {
  const recommended = recommendedComposite(model);
  if (entry.composite.key?.startsWith(`${recommended.name}:`) || recommended.name === 'tutorial') {
    return 'use a composite with sign-aware stabilizers (e.g. epsilon-plus) or a larger ε';
  }
  return (
    `use the composite recommended for this model, createComposite('${recommended.name}') ` +
    `(recommendedComposite(model): ${recommended.reason}), or a larger ε`
  );
}

function layerText(entry: CompositeEntry, step: PropagationStep): string {
  return `layer "${step.node.name}" (${step.node.className}, rule ${ruleName(entry, step)})`;
}

/**
 * NaN, infinite or diverged input relevance is an error naming the layer where it first went wrong,
 * never a silent NaN or garbage heatmap. One small read-back when all is well (the row sums); the layer
 * search only runs on failure. `scale`: per relevance row, the largest |logit| of its image.
 */
function checkRelevance(
  model: ExplainableModel,
  entry: CompositeEntry,
  input: tf.Tensor | undefined,
  trace: PropagationStep[],
  scale: tf.Tensor,
  limit: number,
): void {
  if (input === undefined) return;
  const rows = input.shape[0];
  const sums = tf.sum(tf.reshape(input, [rows, -1]), 1);
  const read = tf.concat([sums, tf.reshape(scale, [rows])]).dataSync();
  // A row whose logits are all 0 has no scale to compare with: not checked.
  const ratios = Array.from({ length: rows }, (_, i) => (read[rows + i] > 0 ? Math.abs(read[i]) / read[rows + i] : 0));
  const fix = divergenceFix(model, entry);
  if (!Array.from(read.subarray(0, rows)).every(Number.isFinite)) {
    const culprit = firstNonFinite(input, trace);
    const where = culprit
      ? `at ${layerText(entry, culprit)}: its output relevance is finite, its input relevance is not`
      : 'at the top';
    throw new Error(
      `lrp: relevance became NaN or infinite ${where}, with composite ${entry.composite.name}. ` +
        `A denominator reached 0 or overflowed: ${fix}; or check the weights of that layer.`,
    );
  }
  const worst = ratios.reduce((w, r, i) => (r > ratios[w] ? i : w), 0);
  if (!(ratios[worst] > limit)) return;
  // The first node (from the top) whose input relevance is past the limit, for the worst row.
  const culprit = trace.find((step) => {
    const total = step.inputs.reduce((t, r) => t + tf.tidy(() => tf.sum(tf.slice(r, worst, 1)).dataSync()[0]), 0);
    return !(Math.abs(total) / read[rows + worst] <= limit);
  });
  throw new Error(
    `lrp: relevance diverged: |Σ R| at the input is ${ratios[worst].toPrecision(2)}× the largest |logit| ` +
      `(row ${worst}, limit ${limit}), past the limit first at ${culprit ? layerText(entry, culprit) : 'the input'}, ` +
      `with composite ${entry.composite.name}. The rule is unstable on this model: ${fix}. ` +
      '(divergenceLimit: Infinity returns the relevance anyway.)',
  );
}

/** Image-major rows (i·T + j) in target-major order (j·N + i). */
function targetMajor(rows: Int32Array, n: number, perImage: number): Int32Array {
  const out = new Int32Array(rows.length);
  for (let i = 0; i < n; i++) for (let j = 0; j < perImage; j++) out[j * n + i] = rows[i * perImage + j];
  return out;
}

/** Target-major rows back to image-major. */
function imageMajor(t: tf.Tensor, n: number, perImage: number): tf.Tensor {
  const rest = t.shape.slice(1);
  const axes = [1, 0, ...rest.map((_, i) => i + 2)];
  return tf.reshape(tf.transpose(tf.reshape(t, [perImage, n, ...rest]), axes), [n * perImage, ...rest]);
}

/** Every row repeated `count` times in place (the conditions of one image and target). */
function expandRows(rows: Int32Array, count: number): Int32Array {
  if (count === 1) return rows;
  const out = new Int32Array(rows.length * count);
  rows.forEach((t, r) => out.fill(t, r * count, (r + 1) * count));
  return out;
}

function oneHot(rows: Int32Array, k: number): Float32Array {
  const m = new Float32Array(rows.length * k);
  rows.forEach((t, i) => (m[i * k + t] = 1));
  return m;
}

function shapeText(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : d)).join(',')}]`;
}

function checkInput(graph: Graph, x: tf.Tensor): void {
  if (!(x instanceof tf.Tensor))
    throw new Error('lrp: explain(model, x, …) needs x to be a tf.Tensor batch of inputs.');
  if (x.isDisposed) throw new Error('lrp: the input tensor x is disposed.');
  const expected = graph.inputShape;
  const fits =
    x.rank === expected.length && expected.every((d, i) => i === 0 || d === null || d === x.shape[i]) && x.shape[0] > 0;
  if (!fits) {
    const single = x.rank === expected.length - 1 ? ' (for a single image use x.expandDims(0))' : '';
    throw new Error(
      `lrp: x has shape ${shapeText(x.shape)} but the model expects ${shapeText(expected)}${single}; ` +
        'pass a batch of inputs of the model input size.',
    );
  }
  if (x.dtype !== 'float32') throw new Error(`lrp: x has dtype ${x.dtype}; cast it to float32.`);
}

interface ResolvedTargets {
  rows: Int32Array;
  perImage: number;
  weights: tf.Tensor2D | null;
}

function resolveTargets(target: Target, outputs: Float32Array, n: number, k: number): ResolvedTargets {
  const check = (t: number, where: string) => {
    if (!Number.isInteger(t) || t < 0 || t >= k) {
      throw new Error(`lrp: target ${t}${where} is out of range; the model has ${k} outputs (classes 0..${k - 1}).`);
    }
    return t;
  };
  if (target === 'predicted') {
    const rows = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (outputs[i * k + j] > outputs[i * k + best]) best = j;
      rows[i] = best;
    }
    return { rows, perImage: 1, weights: null };
  }
  if (typeof target === 'number')
    return { rows: new Int32Array(n).fill(check(target, '')), perImage: 1, weights: null };
  if (target instanceof tf.Tensor) {
    if (target.rank !== 2 || target.shape[0] !== n || target.shape[1] !== k) {
      throw new Error(
        `lrp: a target tensor must have shape [${n},${k}] (one-hot per image), got ${shapeText(target.shape)}.`,
      );
    }
    const rows = tf.tidy(() => tf.argMax(target, 1).dataSync() as Int32Array);
    return { rows: Int32Array.from(rows), perImage: 1, weights: target as tf.Tensor2D };
  }
  if (!Array.isArray(target) || target.length !== n) {
    throw new Error(
      `lrp: target must be a class index, one per image (${n}), one list of classes per image, a [${n},${k}] tensor or 'predicted'.`,
    );
  }
  if (target.every((t) => typeof t === 'number')) {
    return {
      rows: Int32Array.from(target as number[], (t, i) => check(t, ` (image ${i})`)),
      perImage: 1,
      weights: null,
    };
  }
  const lists = target as number[][];
  const perImage = Array.isArray(lists[0]) ? lists[0].length : 0;
  if (perImage === 0 || lists.some((l) => !Array.isArray(l) || l.length !== perImage)) {
    throw new Error('lrp: with several targets per image give every image the same number (≥ 1) of class indices.');
  }
  const rows = new Int32Array(n * perImage);
  lists.forEach((l, i) => l.forEach((t, j) => (rows[i * perImage + j] = check(t, ` (image ${i})`))));
  return { rows, perImage, weights: null };
}

/**
 * Explains the model's output for a batch of inputs with Layer-wise Relevance Propagation: one
 * forward pass recording every layer's input, then relevance propagated from the target output back
 * to the input, layer by layer, with the composite's rules.
 *
 * Runs inside tf.tidy; the caller disposes the returned tensors. Modified weights are cached per model
 * and composite until the model's weights change (see disposeCache).
 */
export function explain<T extends tf.Tensor = tf.Tensor4D>(
  model: ExplainableModel,
  x: T,
  options: ExplainOptions,
): ExplainResult<T> {
  if (!(model instanceof tf.LayersModel) && !isGraphModel(model)) {
    throw new Error(
      'lrp: explain needs a tf.LayersModel (tf.sequential, tf.model, tf.loadLayersModel) or a tf.GraphModel (tf.loadGraphModel).',
    );
  }
  if (!options || options.target === undefined) {
    throw new Error(
      "lrp: explain(model, x, { target }) needs a target: class index(es), a one-hot tensor or 'predicted'.",
    );
  }
  const entry = compositeEntry(model, options.composite ?? tutorialComposite(), options.output);
  const graph = entry.graph;
  checkInput(graph, x);
  let resolved: (ResolvedTargets & { plainPerImage: number }) | undefined;
  let steps: PropagationStep[] = [];
  const result = afterwardsTrim(entry, () =>
    tf.tidy(() => {
      const values = runForward(graph, x);
      // A final softmax or sigmoid is skipped: relevance starts from the logits, as iNNvestigate's
      // model_wo_softmax.
      let top = graph.output;
      const last = graph.nodes.find((n) => n.output === top);
      const squashing = last?.kind === 'activation' && FINAL_ACTIVATIONS.has(last.activation.name);
      if (squashing && !options.explainProbability) top = last.inputs[0];
      const n = x.shape[0];
      const f = values[top];
      const k = f.size / n;
      const logits = tf.reshape(f, [n, k]) as tf.Tensor2D;
      const data = logits.dataSync() as Float32Array;
      if (!data.every(Number.isFinite)) {
        throw new Error(
          'lrp: the model output has NaN or infinite values; check the weights (untrained or diverged?) and the input.',
        );
      }
      const plain = resolveTargets(options.target, data, n, k);
      const conds = options.conditions ? conditionsPerImage(options.conditions, n) : null;
      const count = conds ? conds[0].length : 1;
      // Conditions are extra slots beside targets: slot j·C + c, so rows keep the targets' layout.
      resolved = {
        ...plain,
        rows: expandRows(plain.rows, count),
        perImage: plain.perImage * count,
        plainPerImage: plain.perImage,
      };
      const { rows, perImage } = resolved;
      const weights = plain.weights && repeatRows(plain.weights, count);
      // Step 0: R = f(x) · T at the top. Rows run target-major inside (row j·N + i: image i, target j), so
      // that repeating a batch is a concat; the result is reordered image-major at the end.
      // (The one-hot is built on the JS side: tf.oneHot refuses depth 1, i.e. single-output models.)
      const mask = weights ?? tf.tensor2d(oneHot(targetMajor(rows, n, perImage), k), [rows.length, k]);
      const top0 = tf.reshape(tf.mul(repeatRows(logits, perImage), mask), [n * perImage, ...f.shape.slice(1)]);
      const masks = conds ? buildMasks(graph, values, conds, plain.perImage) : undefined;
      const trace: PropagationStep[] = [];
      steps = trace;
      const relevance = propagate(entry, values, top, top0, perImage, { trace, masks });
      // Per relevance row (target-major), the scale of its image's output.
      const scale = repeatRows(tf.max(tf.abs(logits), 1, true), perImage);
      checkRelevance(model, entry, relevance.get(graph.input), trace, scale, options.divergenceLimit ?? 1e6);
      const at = (v: number) => {
        const r = relevance.get(v) ?? tf.zeros([n * perImage, ...values[v].shape.slice(1)]);
        return perImage === 1 ? r : imageMajor(r, n, perImage);
      };
      return {
        relevance: at(graph.input),
        output: logits,
        layers: options.returnLayers ? graph.layers.map((l) => tf.clone(at(l.value))) : [],
        diagnostics: options.diagnostics ? [diagnosticsTensor(top0, relevance.get(graph.input), trace)] : [],
      };
    }),
  );
  const { rows, perImage } = resolved!;
  const count = perImage / resolved!.plainPerImage;
  const diagnostics = result.diagnostics.length
    ? readDiagnostics(result.diagnostics[0], entry, steps, x.shape[0], perImage)
    : undefined;
  return {
    relevance: result.relevance as T,
    output: result.output,
    targets: rows,
    targetsPerImage: resolved!.plainPerImage,
    conditionsPerImage: count,
    ...(options.returnLayers
      ? {
          layers: graph.layers.map((l, i) => ({ name: l.name, className: l.className, relevance: result.layers[i] })),
        }
      : {}),
    ...(diagnostics ? { diagnostics } : {}),
  };
}
