/**
 * The tutorial's four networks as recipes: how each is built and trained, on which input size.
 * net1/net2 are trained by SGD (Parts 1–2); net3/net4 are a frozen pretrained backbone plus a
 * logistic regression turned into the top layer (transfer learning).
 */
import * as tf from '@tensorflow/tfjs';
import type { LfwDataset } from '@lrpjs/data';
import type { Evaluation, LogisticRegressionModel, TransferHeadResult } from '@lrpjs/models';
import type { CurvePoint } from './metrics';
import { NET_DESCRIPTIONS, type NetName } from './net-names';
import type { ProgressSink } from './progress';

export { NET_DESCRIPTIONS, NET_INPUT_SIZE, NET_NAMES, type NetName } from './net-names';

/** Thrown when a net cannot be had here (e.g. VGG-16 weights offline): the run goes on without it. */
export class NetUnavailable extends Error {
  override name = 'NetUnavailable';
}

export interface NetInputs {
  train: LfwDataset;
  test: LfwDataset;
}

export interface TrainSettings {
  iterations: number;
  seed: number;
  dataHome: string;
  download: boolean;
  vgg16Weights?: string;
  /** Inverse L2 strength of the transfer nets' logistic regression (scikit-learn's C). */
  headC: number;
}

export interface PreparedNet {
  name: NetName;
  model: tf.LayersModel;
  description: string;
  inputSize: number;
  architecture: string;
  curve: CurvePoint[];
  trainSeconds: number;
  /** Accuracy, per-class accuracy and confusion on both sets after training. */
  evaluation: { train: Evaluation; test: Evaluation };
  /** Predicted class of every test image. */
  predictedTest: Int32Array;
  training: Record<string, unknown>;
}

/** NHWC pixels in [0, 1] → the tutorial's input x*3-1.5, as a tensor (caller disposes). */
export async function inputTensor(ds: LfwDataset): Promise<tf.Tensor4D> {
  const { normalizeTutorial } = await import('@lrpjs/data');
  return tf.tensor4d(normalizeTutorial(ds.images), ds.shape);
}

export async function prepareNet(
  name: NetName,
  data: NetInputs,
  settings: TrainSettings,
  progress: ProgressSink,
): Promise<PreparedNet> {
  switch (name) {
    case 'net1':
    case 'net2':
      return trainFromScratch(name, data, settings, progress);
    case 'net3':
      return transferNet3(data, settings, progress);
    case 'net4':
      return transferNet4(data, settings, progress);
  }
}

async function trainFromScratch(
  name: 'net1' | 'net2',
  data: NetInputs,
  settings: TrainSettings,
  progress: ProgressSink,
): Promise<PreparedNet> {
  const models = await import('@lrpjs/models');
  const numClasses = data.train.targetNames.length;
  const build = name === 'net1' ? models.buildNet1 : models.buildNet2;
  const model = build({ numClasses, inputSize: data.train.shape[1], seed: settings.seed });
  const xTrain = await inputTensor(data.train);
  const xTest = await inputTensor(data.test);
  const steps = settings.iterations + 1; // the tutorial's loop runs i = 0..nbit
  const stage = progress.stage(`train ${name}`, steps);
  let lastLoss = NaN;
  try {
    const result = await models.train(
      model,
      { xTrain, yTrain: data.train.targets, xTest, yTest: data.test.targets },
      {
        iterations: settings.iterations,
        seed: settings.seed,
        onStep: ({ iteration, loss }) => {
          lastLoss = loss;
          stage.update(iteration + 1, `loss ${loss.toFixed(3)}`);
          // Back to the event loop after each step (microseconds), so Ctrl-C is handled now, not after training.
          return new Promise<void>((resolve) => setImmediate(resolve));
        },
        onEvaluate: (p) => {
          progress.log(
            `${name} iteration ${String(p.iteration).padStart(5)}: train ${p.trainAccuracy.toFixed(3)}  test ${(p.testAccuracy ?? NaN).toFixed(3)}`,
          );
        },
      },
    );
    const seconds = stage.finish(`loss ${lastLoss.toFixed(3)}, ${result.msPerStep.toFixed(1)} ms/step`);
    const predictedTest = models.predictClasses(model, xTest);
    const test = result.final.test ?? models.scorePredictions(predictedTest, data.test.targets, numClasses);
    return {
      name,
      model,
      description: NET_DESCRIPTIONS[name],
      inputSize: data.train.shape[1],
      architecture: name,
      curve: result.history.map((p) => ({
        iteration: p.iteration,
        loss: p.loss,
        trainAccuracy: p.trainAccuracy,
        testAccuracy: p.testAccuracy ?? NaN,
      })),
      trainSeconds: seconds,
      evaluation: { train: result.final.train, test },
      predictedTest,
      training: { ...result.config, seconds: result.seconds, msPerStep: result.msPerStep },
    };
  } catch (err) {
    model.dispose();
    throw err;
  } finally {
    tf.dispose([xTrain, xTest]);
  }
}

/**
 * The frozen backbone's features over both sets, a logistic regression fitted on the training features and
 * the network built around it (@lrpjs/models' fitTransferHead), with the CLI's progress stages.
 */
async function fitHead(
  name: NetName,
  backbone: tf.LayersModel,
  build: (head: LogisticRegressionModel) => tf.LayersModel,
  data: NetInputs,
  settings: TrainSettings,
  progress: ProgressSink,
): Promise<TransferHeadResult & { evaluation: { train: Evaluation; test: Evaluation }; predictedTest: Int32Array }> {
  const models = await import('@lrpjs/models');
  const { normalizeTutorial } = await import('@lrpjs/data');
  const labelled = (ds: LfwDataset) => ({ values: normalizeTutorial(ds.images), shape: ds.shape, targets: ds.targets });
  let stage: ReturnType<ProgressSink['stage']> | null = null;
  let current = '';
  const result = await models.fitTransferHead(
    backbone,
    { train: labelled(data.train), test: labelled(data.test) },
    {
      numClasses: data.train.targetNames.length,
      logisticRegression: { C: settings.headC },
      build,
      onProgress: (p) => {
        if (p.stage !== current) {
          stage?.finish();
          current = p.stage;
          const label =
            p.stage === 'head' ? 'logistic regression' : p.stage.replace(/^features (.*)$/, 'features ($1)');
          stage = progress.stage(`${name} ${label}`, p.total);
        }
        stage?.update(p.done);
      },
    },
  );
  const { head, evaluation, predictedTest } = result;
  (stage as ReturnType<ProgressSink['stage']> | null)?.finish(
    `${head.iterations} L-BFGS iterations${head.converged ? '' : ' (not converged)'}`,
  );
  // Both are present: a test set was passed.
  return {
    ...result,
    evaluation: { train: evaluation.train, test: evaluation.test as Evaluation },
    predictedTest: predictedTest as Int32Array,
  };
}

async function transferNet3(data: NetInputs, settings: TrainSettings, progress: ProgressSink): Promise<PreparedNet> {
  const models = await import('@lrpjs/models');
  const modelsNode = await import('@lrpjs/models/node');
  let file: string;
  const stages = new Map<string, ReturnType<ProgressSink['stage']>>();
  const finishAll = () => stages.forEach((s) => s.finish());
  try {
    file = await modelsNode.resolveVgg16WeightsFile({
      weightsPath: settings.vgg16Weights,
      dataHome: settings.dataHome,
      download: settings.download,
      onProgress: (p) => {
        let s = stages.get(p.stage);
        if (!s) stages.set(p.stage, (s = progress.stage(`net3 VGG-16 weights ${p.stage}`, p.total)));
        s.update(p.done);
      },
    });
  } catch (err) {
    finishAll();
    if (
      err instanceof modelsNode.WeightsUnavailableError ||
      (err as { code?: string }).code === 'LRPJS_WEIGHTS_UNAVAILABLE'
    ) {
      throw new NetUnavailable((err as Error).message.replace(/\s*\n\s*/g, ' '));
    }
    throw err;
  }
  finishAll();
  const start = performance.now();
  const weights = await modelsNode.loadVgg16Weights(file);
  const features = models.buildVgg16Features({ inputSize: data.train.shape[1], weights });
  const build = (head: LogisticRegressionModel) => models.buildNet3({ head, features });
  const { model, head, evaluation, predictedTest, seconds } = await fitHead(
    'net3',
    features,
    build,
    data,
    settings,
    progress,
  );
  return {
    name: 'net3',
    model,
    description: NET_DESCRIPTIONS.net3,
    inputSize: data.train.shape[1],
    architecture: 'vgg16-17+logreg',
    curve: [],
    trainSeconds: (performance.now() - start) / 1000,
    evaluation,
    predictedTest,
    training: {
      weights: file,
      head: { solver: head.solver, C: settings.headC, iterations: head.iterations, loss: head.loss },
      seconds,
    },
  };
}

async function transferNet4(data: NetInputs, settings: TrainSettings, progress: ProgressSink): Promise<PreparedNet> {
  const models = await import('@lrpjs/models');
  const { readFaceApiWeights } = await import('@lrpjs/models/node');
  const start = performance.now();
  const backbone = models.buildFaceBackbone({ weights: readFaceApiWeights() });
  const build = (head: LogisticRegressionModel) => models.buildNet4({ head, backbone });
  const { model, head, evaluation, predictedTest, seconds } = await fitHead(
    'net4',
    backbone,
    build,
    data,
    settings,
    progress,
  );
  return {
    name: 'net4',
    model,
    description: NET_DESCRIPTIONS.net4,
    inputSize: data.train.shape[1],
    architecture: 'face-resnet+logreg',
    curve: [],
    trainSeconds: (performance.now() - start) / 1000,
    evaluation,
    predictedTest,
    training: {
      weights: 'embedded face-api face_recognition_model',
      head: { solver: head.solver, C: settings.headC, iterations: head.iterations, loss: head.loss },
      seconds,
    },
  };
}
