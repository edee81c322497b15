import * as tf from '@tensorflow/tfjs';
import { scorePredictions, type Evaluation } from '../evaluate';
import { appendLogisticRegression, extractFeatures, type ImageBatchSource } from './head';
import {
  fitLogisticRegression,
  predictLogisticRegression,
  type LogisticRegressionModel,
  type LogisticRegressionOptions,
} from './logistic-regression';

/** Images (already normalized as the backbone expects) with their class indices. */
export interface LabelledImages extends ImageBatchSource {
  targets: ArrayLike<number>;
}

/** Where {@link fitTransferHead} is: feature extraction per split (`done`/`total` images), then the head fit. */
export interface TransferHeadProgress {
  stage: 'features train' | 'features test' | 'head';
  done: number;
  total: number;
}

export interface FitTransferHeadOptions {
  /** Number of classes. Default: max(train target) + 1. */
  numClasses?: number;
  /** Logistic-regression settings (`C`, `solver`, `maxIter`, …). Default: scikit-learn's `LogisticRegression()`. */
  logisticRegression?: Omit<LogisticRegressionOptions, 'numClasses'>;
  /** Images per backbone pass. Default 32. */
  batchSize?: number;
  /**
   * Turns the fitted head into the network (e.g. `(head) => buildNet3({ head, features })`). Default:
   * {@link appendLogisticRegression} on the backbone.
   */
  build?: (head: LogisticRegressionModel) => tf.LayersModel;
  /** Return the extracted features as tensors (the caller disposes them). Default false (disposed here). */
  keepFeatures?: boolean;
  onProgress?: (p: TransferHeadProgress) => void;
}

export interface TransferHeadResult {
  /** The backbone followed by the head as a layer (the backbone's layers are shared, not copied). */
  model: tf.LayersModel;
  head: LogisticRegressionModel;
  /** Scores of the head's predictions (identical to the model's: the head is the model's top layer). */
  evaluation: { train: Evaluation; test?: Evaluation };
  /** Predicted class of every test image (absent without a test set). */
  predictedTest?: Int32Array;
  /** Wall-clock seconds of the feature extraction (both splits) and of the head fit. */
  seconds: { features: number; head: number };
  /** With `keepFeatures`: the backbone's flattened output per split, `[N, d]`; the caller disposes them. */
  features?: { train: tf.Tensor2D; test?: tf.Tensor2D };
}

/**
 * Transfer learning in one call: runs the frozen `backbone` over the training (and test) images, fits a
 * logistic regression on the training features, and builds the network with the regression as its top layer.
 * The features are extracted once and then the backbone is never run again, which is why this is faster than
 * training the combined model.
 */
export async function fitTransferHead(
  backbone: tf.LayersModel,
  data: { train: LabelledImages; test?: LabelledImages },
  options: FitTransferHeadOptions = {},
): Promise<TransferHeadResult> {
  const numClasses = options.numClasses ?? maxLabel(data.train.targets) + 1;
  const extract = (images: LabelledImages, stage: 'features train' | 'features test') =>
    extractFeatures(backbone, images, {
      batchSize: options.batchSize ?? 32,
      onProgress: (p) => options.onProgress?.({ stage, done: p.done, total: p.total }),
    });
  const t0 = performance.now();
  const fTrain = await extract(data.train, 'features train');
  let fTest: tf.Tensor2D | undefined;
  let kept = false;
  try {
    fTest = data.test && (await extract(data.test, 'features test'));
    const t1 = performance.now();
    options.onProgress?.({ stage: 'head', done: 0, total: 1 });
    const head = await fitLogisticRegression(fTrain, data.train.targets, {
      ...options.logisticRegression,
      numClasses,
    });
    options.onProgress?.({ stage: 'head', done: 1, total: 1 });
    const seconds = { features: (t1 - t0) / 1000, head: (performance.now() - t1) / 1000 };
    const predictedTest = fTest && predictLogisticRegression(head, fTest);
    const evaluation = {
      train: scorePredictions(predictLogisticRegression(head, fTrain), data.train.targets, numClasses),
      test: predictedTest && data.test && scorePredictions(predictedTest, data.test.targets, numClasses),
    };
    const model = options.build ? options.build(head) : appendLogisticRegression(backbone, head);
    kept = options.keepFeatures === true;
    const features = kept ? { train: fTrain, test: fTest } : undefined;
    return { model, head, evaluation, predictedTest, seconds, features };
  } finally {
    if (!kept) tf.dispose(fTest ? [fTrain, fTest] : [fTrain]);
  }
}

function maxLabel(targets: ArrayLike<number>): number {
  let max = -1;
  for (let i = 0; i < targets.length; i++) max = Math.max(max, targets[i]);
  if (max < 0) throw new Error('fitTransferHead: no training targets; pass at least one labelled image.');
  return max;
}
