import * as tf from '@tensorflow/tfjs';
import type { LogisticRegressionModel } from './logistic-regression';

export interface HeadOptions {
  /** Name of the head layer. Default `'top_conv'` on 4D features, `'head'` on vectors. */
  name?: string;
  /** Name of the resulting model. Default `<backbone name>_head`. */
  modelName?: string;
}

/**
 * Applies the layers equivalent to a fitted logistic regression to a backbone's symbolic output and
 * returns their output, logits `[N, numClasses]`:
 * - features `[N, h, w, c]` (fitted on their NHWC flattening): a `h×w` valid Conv2D with kernel
 *   `coef` reshaped to HWIO `[h, w, c, k]`, followed by a Flatten (the tutorial's top 8×8 conv);
 * - features `[N, d]`: a Dense layer with kernel `coefᵀ`.
 */
export function applyLogisticRegression(
  features: tf.SymbolicTensor,
  head: LogisticRegressionModel,
  options: HeadOptions = {},
): tf.SymbolicTensor {
  const dims = features.shape.slice(1) as number[];
  const size = dims.reduce((a, b) => a * b, 1);
  if (dims.some((v) => v == null) || size !== head.numFeatures) {
    throw new Error(
      `Logistic regression has ${head.numFeatures} features but the backbone outputs [${dims}] (${size}); fit it on this backbone's flattened output`,
    );
  }
  if (dims.length !== 3 && dims.length !== 1) {
    throw new Error(
      `Logistic regression head: backbone output must be [N, h, w, c] or [N, d], got [${features.shape}]`,
    );
  }
  const k = head.numClasses;
  // Layers are built by apply() (inside their name scope, so saved weights are named <layer>/kernel), then filled.
  const layer =
    dims.length === 3
      ? tf.layers.conv2d({
          name: options.name ?? 'top_conv',
          filters: k,
          kernelSize: [dims[0], dims[1]],
          padding: 'valid',
        })
      : tf.layers.dense({ name: options.name ?? 'head', units: k });
  let out = layer.apply(features) as tf.SymbolicTensor;
  // coef is [k, d] row-major; both layer kinds want [d, k] (d in NHWC flattening order for the conv).
  const weights = tf.tidy(() => {
    const kernel = tf.transpose(tf.tensor2d(head.coef, [k, head.numFeatures]));
    return [dims.length === 3 ? tf.reshape(kernel, [...dims, k]) : kernel, tf.tensor1d(head.intercept)];
  });
  layer.setWeights(weights);
  tf.dispose(weights);
  if (dims.length === 3) out = tf.layers.flatten({ name: `${layer.name}_flatten` }).apply(out) as tf.SymbolicTensor;
  return out;
}

/**
 * One model `backbone → head`: the backbone's layers (shared, not copied: dispose only one of the
 * two models) followed by the logistic regression as a layer. Output: logits `[N, numClasses]`.
 */
export function appendLogisticRegression(
  backbone: tf.LayersModel,
  head: LogisticRegressionModel,
  options: HeadOptions = {},
): tf.LayersModel {
  if (backbone.outputs.length !== 1)
    throw new Error('appendLogisticRegression: the backbone must have exactly one output');
  const out = applyLogisticRegression(backbone.outputs[0], head, options);
  return tf.model({ inputs: backbone.inputs, outputs: out, name: options.modelName ?? `${backbone.name}_head` });
}

export interface ExtractFeaturesOptions {
  /** Images per forward pass. Default 64. */
  batchSize?: number;
  onProgress?: (p: { stage: string; done: number; total: number }) => void;
}

/** Images as plain NHWC values (e.g. a whole data set), sliced into tensors batch by batch. */
export interface ImageBatchSource {
  values: Float32Array;
  shape: [number, number, number, number];
}

/**
 * Runs `backbone` over `x` in batches and returns its output flattened per sample, `[N, d]`
 * (NHWC order for 4D outputs; the caller disposes). A tensor input is not disposed; plain values
 * are uploaded one batch at a time, so a data set never sits on the backend whole.
 */
export async function extractFeatures(
  backbone: tf.LayersModel,
  x: tf.Tensor4D | ImageBatchSource,
  options: ExtractFeaturesOptions = {},
): Promise<tf.Tensor2D> {
  const batchSize = options.batchSize ?? 64;
  const shape = x instanceof tf.Tensor ? x.shape : x.shape;
  const [n, h, w, c] = shape;
  if (!(x instanceof tf.Tensor) && x.values.length !== n * h * w * c) {
    throw new Error(`extractFeatures: ${x.values.length} values do not fill shape [${shape}]`);
  }
  const parts: tf.Tensor2D[] = [];
  try {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      const part = tf.tidy(() => {
        const batch =
          x instanceof tf.Tensor
            ? tf.slice(x, [start, 0, 0, 0], [size, -1, -1, -1])
            : tf.tensor4d(x.values.subarray(start * h * w * c, (start + size) * h * w * c), [size, h, w, c]);
        const y = backbone.predict(batch) as tf.Tensor;
        return tf.reshape(y, [size, -1]) as tf.Tensor2D;
      });
      // Wait for the batch so that async backends don't queue the whole set at once.
      await part.data();
      parts.push(part);
      options.onProgress?.({ stage: 'features', done: start + size, total: n });
    }
    return parts.length === 1 ? parts[0].clone() : (tf.concat(parts, 0) as tf.Tensor2D);
  } finally {
    tf.dispose(parts);
  }
}
