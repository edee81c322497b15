import * as tf from '@tensorflow/tfjs';
import { isNode } from './backend/node-require';
import { Evaluation, checkLabels, evaluate } from './evaluate';
import { randomSeed } from './rng';
import { createBatchSampler } from './train-batches';

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

/** The recipe of one {@link train} call, defaults resolved. */
interface Recipe {
  iterations: number;
  batchSize: number;
  learningRate: number;
  momentum: number;
  evaluateEvery: number;
  evalBatchSize: number;
  seed: number;
  yieldEvery: number;
}

function resolveRecipe(options: TrainOptions): Recipe {
  const iterations = options.iterations ?? 2500;
  return {
    iterations,
    batchSize: options.batchSize ?? 25,
    learningRate: options.learningRate ?? 0.005,
    momentum: options.momentum ?? 0.9,
    evaluateEvery: options.evaluateEvery ?? Math.max(1, Math.floor(iterations / 5)),
    evalBatchSize: options.evalBatchSize ?? 100,
    seed: options.seed ?? randomSeed(),
    yieldEvery: options.yieldEvery ?? (isNode() ? 0 : 5),
  };
}

/** Checks the recipe against the data and the model; returns the number of classes (the logits' width). */
function checkTrainInputs(model: tf.LayersModel, data: TrainData, recipe: Recipe): number {
  const { iterations, evaluateEvery, batchSize } = recipe;
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
  return numClasses;
}

/** Whether the loop evaluates after step `i`: every `evaluateEvery` steps, and always after the last one. */
function evaluatesAfter(i: number, steps: number, evaluateEvery: number): boolean {
  const onSchedule = evaluateEvery > 0 && i % evaluateEvery === 0;
  return onSchedule || i === steps - 1;
}

/** One SGD step on a batch (dropout active); returns the batch loss. */
async function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  vars: tf.Variable[],
  batch: { x: Float32Array; shape: [number, number, number, number]; oneHot: Float32Array; numClasses: number },
): Promise<number> {
  const cost = tf.tidy(() => {
    const xb = tf.tensor4d(batch.x, batch.shape);
    const yb = tf.tensor2d(batch.oneHot, [batch.shape[0], batch.numClasses]);
    const c = optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(yb, model.apply(xb, { training: true }) as tf.Tensor) as tf.Scalar,
      true,
      vars,
    );
    return c ?? tf.scalar(Number.NaN);
  }) as tf.Scalar;
  const loss = (await cost.data())[0];
  cost.dispose();
  return loss;
}

/**
 * Trains `model` (logits output) with softmax cross-entropy by minibatch SGD with momentum — the tutorial's
 * recipe by default — evaluating train and test accuracy on the full sets every `evaluateEvery`
 * iterations. Dropout layers are active during the steps and off during evaluation. Leaves no tensors
 * behind (the optimizer it creates is disposed). Progress: `onStep` and `onEvaluate`.
 */
export async function train(model: tf.LayersModel, data: TrainData, options: TrainOptions = {}): Promise<TrainResult> {
  const recipe = resolveRecipe(options);
  const numClasses = checkTrainInputs(model, data, recipe);
  const { xTrain, yTrain, xTest, yTest } = data;
  const ownOptimizer = options.optimizer == null;
  const optimizer = options.optimizer ?? tf.train.momentum(recipe.learningRate, recipe.momentum);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const batches = await createBatchSampler(xTrain, yTrain, numClasses, recipe.batchSize, recipe.seed);

  const steps = recipe.iterations + 1;
  const losses: number[] = [];
  const history: EvaluationPoint[] = [];
  let final: TrainResult['final'] | null = null;
  let evalMs = 0;
  let stopped = false;
  const t0 = now();

  const runEvaluation = async (iteration: number, loss: number): Promise<void> => {
    const te = now();
    const evalOptions = { batchSize: recipe.evalBatchSize };
    const trainEval = evaluate(model, xTrain, yTrain, numClasses, evalOptions);
    const testEval =
      xTest != null && yTest != null ? evaluate(model, xTest, yTest, numClasses, evalOptions) : undefined;
    evalMs += now() - te;
    final = { train: trainEval, test: testEval };
    const elapsed = (now() - t0) / 1000;
    const point = { iteration, loss, trainAccuracy: trainEval.accuracy, testAccuracy: testEval?.accuracy, elapsed };
    history.push(point);
    await options.onEvaluate?.(point);
  };

  try {
    for (let i = 0; i < steps; i++) {
      if (options.signal?.aborted) {
        stopped = true;
        break;
      }
      const loss = await trainStep(model, optimizer, vars, batches.next());
      losses.push(loss);
      await options.onStep?.({ iteration: i, loss });
      if (evaluatesAfter(i, steps, recipe.evaluateEvery)) await runEvaluation(i, loss);
      if (recipe.yieldEvery > 0 && (i + 1) % recipe.yieldEvery === 0) await new Promise((r) => setTimeout(r, 0));
    }
    if (final == null) await runEvaluation(Math.max(0, losses.length - 1), losses[losses.length - 1] ?? Number.NaN);
  } finally {
    if (ownOptimizer) disposeOptimizer(optimizer);
  }
  const seconds = (now() - t0) / 1000;
  const msPerStep = losses.length > 0 ? (seconds * 1000 - evalMs) / losses.length : Number.NaN;
  return {
    steps: losses.length,
    seed: recipe.seed,
    losses,
    history,
    final: final as unknown as TrainResult['final'],
    seconds,
    evalSeconds: evalMs / 1000,
    msPerStep,
    stopped,
    config: {
      iterations: recipe.iterations,
      batchSize: recipe.batchSize,
      optimizer: ownOptimizer ? 'sgd-momentum' : optimizer.getClassName(),
      learningRate: ownOptimizer ? recipe.learningRate : undefined,
      momentum: ownOptimizer ? recipe.momentum : undefined,
      evaluateEvery: recipe.evaluateEvery,
      loss: 'softmax-cross-entropy',
      seed: recipe.seed,
      backend: tf.getBackend(),
    },
  };
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
