import * as tf from '@tensorflow/tfjs';
import { isNode } from './backend/node-require';
import { Evaluation, checkLabels, evaluate } from './evaluate';
import { ProgressReporter, createProgressReporter } from './progress';
import { createRng, randomSeed, sampleWithoutReplacement } from './rng';

/** Training data: NHWC images (already normalised) and integer class labels. */
export interface TrainData {
  xTrain: tf.Tensor4D;
  yTrain: Int32Array | number[];
  xTest?: tf.Tensor4D;
  yTest?: Int32Array | number[];
}

/** One evaluation during training (the tutorial's `printacc`). */
export interface EvaluationPoint {
  /** Iteration index i after whose step the evaluation ran (0, nbit/5, ..., nbit). */
  iteration: number;
  /** Loss of that step's batch. */
  loss: number;
  trainAccuracy: number;
  testAccuracy?: number;
  /** Seconds since training started. */
  elapsed: number;
}

export interface StepInfo {
  iteration: number;
  loss: number;
}

/** Options of {@link train}; the defaults are the tutorial's recipe. */
export interface TrainOptions {
  /** nbit: the loop runs iterations i = 0..nbit, i.e. nbit + 1 steps, as the tutorial does. Default 2500. */
  iterations?: number;
  /** Examples per step, drawn without replacement by a fresh random permutation each step. Default 25. */
  batchSize?: number;
  /** SGD learning rate. Default 0.005. */
  learningRate?: number;
  /** SGD momentum (PyTorch's formula v ← μv + g, p ← p − lr·v, same as tf.train.momentum). Default 0.9. */
  momentum?: number;
  /** Use this optimizer instead of SGD-momentum (not disposed by train). */
  optimizer?: tf.Optimizer;
  /** Evaluate on the full sets when i % evaluateEvery === 0. Default max(1, ⌊iterations/5⌋); 0 = only at the end. */
  evaluateEvery?: number;
  /** Examples per forward pass during evaluation. Default 100. */
  evalBatchSize?: number;
  /** Seed for batch sampling (the model's dropout layers have their own seeds). Default: random (reported). */
  seed?: number;
  /** Called after every step. May return a promise (awaited). */
  onStep?: (info: StepInfo) => void | Promise<void>;
  /** Called after every evaluation. May return a promise (awaited). */
  onEvaluate?: (point: EvaluationPoint) => void | Promise<void>;
  /** Progress display: a reporter, `true` for {@link createProgressReporter}'s default, `false` (default) for none. */
  progress?: ProgressReporter | boolean;
  /** Label shown by the progress display. Default: the model's name. */
  label?: string;
  /** Stops training early (after the current step) when aborted; the result has `stopped: true`. */
  signal?: AbortSignal;
  /** Await a macrotask every this many steps so a browser UI stays responsive. Default: 0 in Node, 5 elsewhere. */
  yieldEvery?: number;
}

export interface TrainResult {
  /** Steps run (nbit + 1 unless stopped). */
  steps: number;
  /** Seed used for batch sampling (pass it back to reproduce the run). */
  seed: number;
  /** Loss of each step's batch. */
  losses: number[];
  history: EvaluationPoint[];
  /** Last evaluation on the full sets. */
  final: { train: Evaluation; test?: Evaluation };
  /** Wall-clock seconds: total, of which evaluation. */
  seconds: number;
  evalSeconds: number;
  /** Mean milliseconds per training step (excluding evaluation). */
  msPerStep: number;
  stopped: boolean;
  /** The resolved recipe, JSON-safe (for model metadata). */
  config: Record<string, unknown>;
}

/**
 * Trains `model` (logits output) with softmax cross-entropy by minibatch SGD with momentum — the tutorial's
 * recipe by default — evaluating train and test accuracy on the full sets every `evaluateEvery`
 * iterations. Dropout layers are active during the steps and off during evaluation. Leaves no tensors
 * behind (the optimizer it creates is disposed).
 */
export async function train(model: tf.LayersModel, data: TrainData, options: TrainOptions = {}): Promise<TrainResult> {
  const iterations = options.iterations ?? 2500;
  const batchSize = options.batchSize ?? 25;
  const learningRate = options.learningRate ?? 0.005;
  const momentum = options.momentum ?? 0.9;
  const evaluateEvery = options.evaluateEvery ?? Math.max(1, Math.floor(iterations / 5));
  const evalBatchSize = options.evalBatchSize ?? 100;
  const seed = options.seed ?? randomSeed();
  const yieldEvery = options.yieldEvery ?? (isNode() ? 0 : 5);
  const { xTrain, yTrain, xTest, yTest } = data;

  if (!Number.isInteger(iterations) || iterations < 0)
    throw new Error(`iterations must be an integer ≥ 0, got ${iterations}.`);
  if (!Number.isInteger(evaluateEvery) || evaluateEvery < 0)
    throw new Error(`evaluateEvery must be an integer ≥ 0, got ${evaluateEvery}.`);
  if (xTrain.rank !== 4) throw new Error(`xTrain must be NHWC (rank 4), got rank ${xTrain.rank}.`);
  if (xTrain.dtype !== 'float32') throw new Error(`xTrain must be float32 (normalised pixels), got ${xTrain.dtype}.`);
  const n = xTrain.shape[0];
  if (yTrain.length !== n) throw new Error(`xTrain has ${n} examples but yTrain has ${yTrain.length} labels.`);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > n) {
    throw new Error(`batchSize must be an integer in [1, ${n}] (the training set size), got ${batchSize}.`);
  }
  if ((xTest == null) !== (yTest == null)) throw new Error('Pass both xTest and yTest, or neither.');
  if (xTest != null && yTest != null && yTest.length !== xTest.shape[0]) {
    throw new Error(`xTest has ${xTest.shape[0]} examples but yTest has ${yTest.length} labels.`);
  }
  const outShape = model.outputs[0].shape;
  const numClasses = outShape[outShape.length - 1];
  if (outShape.length !== 2 || numClasses == null) {
    throw new Error(
      `train expects a model whose output is logits [N, classes], got output shape [${outShape}]. Add a Flatten layer.`,
    );
  }
  checkLabels(yTrain, numClasses, 'train (yTrain)');
  if (yTest != null) checkLabels(yTest, numClasses, 'train (yTest)');
  const inShape = model.inputs[0].shape.slice(1);
  if (inShape.some((d, i) => d != null && d !== xTrain.shape[i + 1])) {
    throw new Error(`The model takes input [${inShape}] but xTrain has examples of shape [${xTrain.shape.slice(1)}].`);
  }

  const ownOptimizer = options.optimizer == null;
  const optimizer = options.optimizer ?? tf.train.momentum(learningRate, momentum);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const reporter: ProgressReporter | null =
    options.progress === true ? createProgressReporter() : options.progress || null;
  const label = options.label ?? model.name;
  const rng = createRng(seed);
  const pool = Int32Array.from({ length: n }, (_, i) => i);
  const batch = new Int32Array(batchSize);
  const oneHot = new Float32Array(batchSize * numClasses);
  // Batches are assembled on the JS side from one copy of the training images: tfjs-backend-wasm's
  // GatherV2 took ~20 ms for 25 images of 64×64×3 (as long as a convolution), a JS copy ~0.3 ms.
  const perExample = xTrain.shape[1] * xTrain.shape[2] * xTrain.shape[3];
  const xData = (await xTrain.data()) as Float32Array;
  const xBatch = new Float32Array(batchSize * perExample);
  const batchShape: [number, number, number, number] = [batchSize, xTrain.shape[1], xTrain.shape[2], xTrain.shape[3]];
  const labels = Int32Array.from(yTrain);

  const steps = iterations + 1;
  const losses: number[] = [];
  const history: EvaluationPoint[] = [];
  let final: TrainResult['final'] | null = null;
  let evalMs = 0;
  let stopped = false;
  const t0 = now();
  reporter?.start(steps, label);

  const runEvaluation = async (iteration: number, loss: number): Promise<void> => {
    const te = now();
    const trainEval = evaluate(model, xTrain, yTrain, numClasses, { batchSize: evalBatchSize });
    const testEval =
      xTest != null && yTest != null
        ? evaluate(model, xTest, yTest, numClasses, { batchSize: evalBatchSize })
        : undefined;
    evalMs += now() - te;
    final = { train: trainEval, test: testEval };
    const point: EvaluationPoint = {
      iteration,
      loss,
      trainAccuracy: trainEval.accuracy,
      testAccuracy: testEval?.accuracy,
      elapsed: (now() - t0) / 1000,
    };
    history.push(point);
    reporter?.evaluate(point);
    await options.onEvaluate?.(point);
  };

  try {
    for (let i = 0; i < steps; i++) {
      if (options.signal?.aborted) {
        stopped = true;
        break;
      }
      sampleWithoutReplacement(rng, pool, batchSize, batch);
      oneHot.fill(0);
      for (let b = 0; b < batchSize; b++) {
        oneHot[b * numClasses + labels[batch[b]]] = 1;
        xBatch.set(xData.subarray(batch[b] * perExample, (batch[b] + 1) * perExample), b * perExample);
      }
      const cost: tf.Scalar | null = tf.tidy(() => {
        const xb = tf.tensor4d(xBatch, batchShape);
        const yb = tf.tensor2d(oneHot, [batchSize, numClasses]);
        const c = optimizer.minimize(
          () => tf.losses.softmaxCrossEntropy(yb, model.apply(xb, { training: true }) as tf.Tensor) as tf.Scalar,
          true,
          vars,
        );
        return c ?? tf.scalar(Number.NaN);
      }) as tf.Scalar;
      const loss = cost == null ? Number.NaN : (await cost.data())[0];
      cost?.dispose();
      losses.push(loss);
      reporter?.step({ step: i + 1, loss });
      await options.onStep?.({ iteration: i, loss });
      const last = i === steps - 1;
      if (
        (evaluateEvery > 0 && i % evaluateEvery === 0) ||
        (last && (evaluateEvery === 0 || i % evaluateEvery !== 0))
      ) {
        await runEvaluation(i, loss);
      }
      if (yieldEvery > 0 && (i + 1) % yieldEvery === 0) await new Promise((r) => setTimeout(r, 0));
    }
    if (final == null) await runEvaluation(Math.max(0, losses.length - 1), losses[losses.length - 1] ?? Number.NaN);
  } finally {
    if (ownOptimizer) disposeOptimizer(optimizer);
  }
  const seconds = (now() - t0) / 1000;
  const msPerStep = losses.length > 0 ? (seconds * 1000 - evalMs) / losses.length : Number.NaN;
  const result: TrainResult = {
    steps: losses.length,
    seed,
    losses,
    history,
    final: final as unknown as TrainResult['final'],
    seconds,
    evalSeconds: evalMs / 1000,
    msPerStep,
    stopped,
    config: {
      iterations,
      batchSize,
      optimizer: ownOptimizer ? 'sgd-momentum' : optimizer.getClassName(),
      learningRate: ownOptimizer ? learningRate : undefined,
      momentum: ownOptimizer ? momentum : undefined,
      evaluateEvery,
      loss: 'softmax-cross-entropy',
      seed,
      backend: tf.getBackend(),
    },
  };
  reporter?.finish(
    `${label ? `${label}: ` : ''}${result.steps} steps in ${seconds.toFixed(1)} s (${msPerStep.toFixed(1)} ms/step, evaluation ${result.evalSeconds.toFixed(1)} s)`,
  );
  return result;
}

/**
 * tfjs 4.22's MomentumOptimizer.dispose() forgets the learning-rate scalar its SGD base keeps (`c`):
 * dispose it too, so a training run leaves the tensor count unchanged.
 */
function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose();
  const c = (optimizer as unknown as { c?: unknown }).c;
  if (c instanceof tf.Tensor && !c.isDisposed) c.dispose();
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
