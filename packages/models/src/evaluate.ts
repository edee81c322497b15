import * as tf from '@tensorflow/tfjs';

/** Classification quality of a model on a labelled set. */
export interface Evaluation {
  /** Fraction of examples whose arg-max logit is the label. */
  accuracy: number;
  /** Accuracy per true class (recall); NaN for a class with no example. */
  perClass: number[];
  /** `confusion[true][predicted]` counts. */
  confusion: number[][];
  /** Number of examples evaluated and of correct ones. */
  count: number;
  correct: number;
}

export interface EvaluateOptions {
  /** Examples per forward pass (bounds memory; larger is a little faster). Default 100. */
  batchSize?: number;
}

/**
 * Logits of `model` on `x`, computed in batches (inference mode: dropout off). Caller disposes the result.
 */
export function predictLogits(model: tf.LayersModel, x: tf.Tensor4D, options: EvaluateOptions = {}): tf.Tensor2D {
  const batchSize = checkBatchSize(options.batchSize ?? 100);
  const n = x.shape[0];
  if (n === 0) throw new Error('Cannot predict on an empty set.');
  const parts: tf.Tensor2D[] = [];
  try {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      parts.push(tf.tidy(() => asLogits(predictBatch(model, x, start, size))));
    }
    return parts.length === 1 ? parts[0] : tf.tidy(() => tf.concat(parts, 0));
  } finally {
    if (parts.length > 1) tf.dispose(parts);
  }
}

/** Predicted class per example (arg-max of the logits), computed in batches. */
export function predictClasses(model: tf.LayersModel, x: tf.Tensor4D, options: EvaluateOptions = {}): Int32Array {
  const batchSize = checkBatchSize(options.batchSize ?? 100);
  const n = x.shape[0];
  const out = new Int32Array(n);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const pred = tf.tidy(() => tf.argMax(asLogits(predictBatch(model, x, start, size)), 1));
    out.set(pred.dataSync() as Int32Array, start);
    pred.dispose();
  }
  return out;
}

/**
 * Accuracy, per-class accuracy and confusion matrix of `model` on (`x`, `y`), evaluated in batches in
 * inference mode. Leaves no tensors behind.
 */
export function evaluate(
  model: tf.LayersModel,
  x: tf.Tensor4D,
  y: Int32Array | number[],
  numClasses: number,
  options: EvaluateOptions = {},
): Evaluation {
  if (x.rank !== 4) throw new Error(`evaluate expects x of rank 4 (NHWC), got rank ${x.rank}.`);
  if (y.length !== x.shape[0]) throw new Error(`evaluate: ${x.shape[0]} examples but ${y.length} labels.`);
  checkLabels(y, numClasses, 'evaluate');
  return scorePredictions(predictClasses(model, x, options), y, numClasses);
}

/** Scores predicted classes against labels (pure JS; exported for callers that predict themselves). */
export function scorePredictions(predicted: ArrayLike<number>, y: ArrayLike<number>, numClasses: number): Evaluation {
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  let correct = 0;
  for (let i = 0; i < y.length; i++) {
    const p = predicted[i];
    confusion[y[i]][p] += 1;
    if (p === y[i]) correct += 1;
  }
  const perClass = confusion.map((row, c) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? Number.NaN : row[c] / total;
  });
  return { accuracy: y.length === 0 ? Number.NaN : correct / y.length, perClass, confusion, count: y.length, correct };
}

export function checkLabels(y: ArrayLike<number>, numClasses: number, where: string): void {
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!Number.isInteger(v) || v < 0 || v >= numClasses) {
      throw new Error(
        `${where}: label ${v} at index ${i} is outside [0, ${numClasses}); labels must be class indices.`,
      );
    }
  }
}

function checkBatchSize(b: number): number {
  if (!Number.isInteger(b) || b < 1) throw new Error(`batchSize must be a positive integer, got ${b}.`);
  return b;
}

/**
 * One forward pass over rows [start, start + size) of `x`. `predict` is told the batch is one batch:
 * by default it would cut it again into batches of 32 (four more slices and four smaller, less efficient
 * passes per batch of 100).
 */
function predictBatch(model: tf.LayersModel, x: tf.Tensor4D, start: number, size: number): tf.Tensor | tf.Tensor[] {
  const batch = start === 0 && size === x.shape[0] ? x : x.slice([start, 0, 0, 0], [size, -1, -1, -1]);
  return model.predict(batch, { batchSize: size });
}

function asLogits(out: tf.Tensor | tf.Tensor[]): tf.Tensor2D {
  const t = Array.isArray(out) ? out[0] : out;
  return (t.rank === 2 ? t : t.reshape([t.shape[0], -1])) as tf.Tensor2D;
}
