import * as tf from '@tensorflow/tfjs';
import { loadLfwPeople, normalizeTutorial, splitTutorial } from '@lrpjs/data';
import { createComposite, disposeCache, explain } from '@lrpjs/lrp';
import {
  backendInfo,
  buildFaceBackbone,
  buildNet1,
  buildNet3,
  buildNet4,
  buildVgg16Features,
  createRng,
  extractFeatures,
  FACE_DESCRIPTOR_SIZE,
  FACE_INPUT_SIZE,
  selectBackend,
  train,
  type LogisticRegressionModel,
} from '@lrpjs/models';
import { readFaceApiWeights } from '@lrpjs/models/node';
import { modelLinearLayers, lrpFlops } from './flops';
import { lfwOptions, readVersion } from './load-stages';
import { measure, now, scaledProbe } from './measure';
import type { BenchSettings } from './options';
import { profileRun } from './profile';
import type { Recorder } from './recorder';
import type { StageOutcome } from './stages';

/** The tutorial's data as tensors (NHWC, x*3-1.5). Disposed by the caller. */
interface TutorialTensors {
  xTrain: tf.Tensor4D;
  yTrain: Int32Array;
  xTest: tf.Tensor4D;
  yTest: Int32Array;
  numClasses: number;
  size: number;
}

async function tutorialTensors(settings: BenchSettings): Promise<TutorialTensors> {
  // The load-only process has filled the pixel cache: this is a cached load.
  const ds = await loadLfwPeople(lfwOptions(settings));
  const { train: tr, test: te } = splitTutorial(ds);
  return {
    xTrain: tf.tensor4d(normalizeTutorial(tr.images), tr.shape),
    yTrain: tr.targets,
    xTest: tf.tensor4d(normalizeTutorial(te.images), te.shape),
    yTest: te.targets,
    numClasses: ds.targetNames.length,
    size: ds.shape[1],
  };
}

/**
 * A logistic-regression head with random weights (PyTorch's default conv init, U(±1/√fan_in)):
 * timing needs net3's and net4's shapes, not a fitted head.
 */
function randomHead(numFeatures: number, numClasses: number, seed: number): LogisticRegressionModel {
  const rng = createRng(seed);
  const bound = 1 / Math.sqrt(numFeatures);
  const coef = Float32Array.from({ length: numClasses * numFeatures }, () => rng.uniform(-bound, bound));
  const intercept = Float32Array.from({ length: numClasses }, () => rng.uniform(-bound, bound));
  return {
    coef,
    intercept,
    numClasses,
    numFeatures,
    solver: 'lbfgs',
    iterations: 0,
    loss: Number.NaN,
    converged: false,
  };
}

/**
 * With --profile, one more run of `run` under tf.profile, attached to an ok outcome (a failed
 * profile is noted, never fatal: the timings are what the stage is for).
 */
async function addProfile<T extends StageOutcome | Awaited<ReturnType<typeof measure>>>(
  settings: BenchSettings,
  outcome: T,
  run: () => Promise<void>,
): Promise<T> {
  if (!settings.profile || outcome.status !== 'ok') return outcome;
  try {
    return { ...outcome, profile: await profileRun(run) };
  } catch (e) {
    const note = `profile failed: ${(e as Error).message.split('\n')[0]}`;
    return { ...outcome, note: outcome.note ? `${outcome.note}; ${note}` : note };
  }
}

/**
 * One LRP call as the tutorial makes it (true class as target, the registry's tutorial composite, as
 * the PyTorch side runs it); waits for the relevance.
 */
async function explainOnce(model: tf.LayersModel, x: tf.Tensor4D, target: number[]): Promise<void> {
  // The same rules on every model, so the stages time the same work; the face backbone's residual blocks
  // make the tutorial's γ diverge (lrpjs then throws): the time is what is measured here, not the heatmap.
  const result = explain(model, x, { target, composite: createComposite('tutorial'), divergenceLimit: Infinity });
  try {
    await result.relevance.data();
  } finally {
    tf.dispose([result.relevance, result.output]);
  }
}

/**
 * Measures LRP on `model` for the first `k` images of `x` (targets `labels`), probing with a single
 * image to project the cost of `k`.
 */
async function measureLrp(model: tf.LayersModel, x: tf.Tensor4D, labels: Int32Array, settings: BenchSettings) {
  const k = Math.min(settings.lrpImages, x.shape[0]);
  const xs = tf.slice(x, [0, 0, 0, 0], [k, -1, -1, -1]);
  const one = tf.slice(x, [0, 0, 0, 0], [1, -1, -1, -1]);
  const target = Array.from(labels.subarray(0, k));
  try {
    const run = () => explainOnce(model, xs, target);
    const m = await measure({
      probe: () =>
        scaledProbe({
          single: () => explainOnce(model, one, target.slice(0, 1)),
          singleScale: k,
          batch: k > 1 ? run : undefined,
          budget: settings.stageBudget,
        }),
      run,
      reps: settings.reps.lrp,
      budget: settings.stageBudget,
    });
    return { ...(await addProfile(settings, m, run)), images: k };
  } finally {
    tf.dispose([xs, one]);
    disposeCache(model); // lrpjs keeps the ρ-modified weights per model between calls
  }
}

/** Stages 2–4 on one tfjs backend, after selecting it (an unavailable backend is reported, not thrown). */
export async function runBackendStages(
  asked: BenchSettings,
  backend: 'tensorflow' | 'wasm' | 'cpu',
  recorder: Recorder,
): Promise<void> {
  const result = recorder.result;
  // Every budget check below reads settings.stageBudget: the cpu backend gets its own, smaller cap.
  const settings = backend === 'cpu' ? { ...asked, stageBudget: Math.min(asked.stageBudget, asked.cpuBudget) } : asked;
  try {
    await selectBackend({ backend, threads: settings.threads });
  } catch (e) {
    result.status = 'unavailable';
    result.reason = (e as Error).message.split('\n')[0];
    recorder.log(`unavailable: ${result.reason}`);
    return;
  }
  const info = backendInfo();
  result.backendInfo = info ? { ...info } : { name: tf.getBackend() };
  result.versions = {
    ...result.versions,
    tfjs: tf.version.tfjs,
    lrpjsModels: readVersion('@lrpjs/models'),
    lrpjsLrp: readVersion('@lrpjs/lrp'),
  };
  // wasm runs its own pool; cpu is plain single-threaded JavaScript; tfjs-node uses TensorFlow's default pool.
  result.threads = backend === 'wasm' ? (info?.threads ?? 1) : backend === 'cpu' ? 1 : undefined;
  recorder.log(`backend ${JSON.stringify(result.backendInfo)}`);

  const data = await tutorialTensors(settings);
  const { xTrain, yTrain, xTest, yTest, numClasses, size } = data;
  result.data = {
    images: xTrain.shape[0] + xTest.shape[0],
    classes: numClasses,
    train: xTrain.shape[0],
    test: xTest.shape[0],
    shape: xTrain.shape.slice(1),
  };
  const seed = settings.seed;
  try {
    // -- 2. training: one timed run of N+1 steps after a 3-step probe/warm-up ----------------------
    await recorder.stage(settings, 'train_net1', async () => {
      const steps = settings.iterations + 1;
      const batch = Math.min(25, xTrain.shape[0]);
      // A step costs the same whatever pool it samples from, so probe and warm up on the first
      // images only, which keeps train()'s closing evaluation cheap too.
      const subset = async (count: number, iterations: number, onStep?: (seconds: number) => boolean) => {
        const x = tf.slice(xTrain, [0, 0, 0, 0], [count, -1, -1, -1]);
        const model = buildNet1({ numClasses, inputSize: size, seed });
        const stop = new AbortController();
        let last = now();
        try {
          return await train(
            model,
            { xTrain: x, yTrain: yTrain.subarray(0, count) },
            {
              iterations,
              batchSize: count,
              evaluateEvery: 0,
              seed,
              signal: stop.signal,
              onStep: () => {
                const t = now();
                if (onStep?.(t - last) === false) stop.abort();
                last = t;
              },
            },
          );
        } finally {
          model.dispose();
          x.dispose();
        }
      };
      // Probe 1, a lower bound: steps on one example (the first pays one-off set-up costs, so it
      // takes the fastest of up to 3). Cheap even on the cpu backend, which needs seconds per example.
      const skip = (perStep: number, what: string): StageOutcome => ({
        status: 'skipped',
        reason: `projected ≥ ${(perStep * steps).toFixed(0)} s (${what} ${perStep.toFixed(2)} s) > budget ${settings.stageBudget} s`,
      });
      let single = Number.POSITIVE_INFINITY;
      let taken = 0;
      await subset(1, 2, (seconds) => {
        single = Math.min(single, seconds);
        return ++taken < 2 || single * steps <= settings.stageBudget;
      });
      if (single * steps > settings.stageBudget) return skip(single, 'one-example step');
      // Probe 2, which is also the warm-up: up to 3 steps of the real batch.
      let full = Number.POSITIVE_INFINITY;
      taken = 0;
      await subset(batch, 2, (seconds) => {
        full = Math.min(full, seconds);
        return ++taken < 2 || full * steps <= settings.stageBudget;
      });
      if (full * steps > settings.stageBudget) return skip(full, 'step');
      const model = buildNet1({ numClasses, inputSize: size, seed });
      try {
        // evaluateEvery 0: no printacc during the loop, one evaluation at the end, not in the time.
        const r = await train(
          model,
          { xTrain, yTrain, xTest, yTest },
          { iterations: settings.iterations, batchSize: batch, evaluateEvery: 0, seed },
        );
        const seconds = r.seconds - r.evalSeconds;
        // Profile 20 steps on one batch (the closing evaluation of those 25 examples is in it, ~2 %).
        return addProfile(
          settings,
          {
            status: 'ok',
            times: [seconds],
            steps: r.steps,
            perStepMs: (1000 * seconds) / r.steps,
            trainAccuracy: r.final.train.accuracy,
            testAccuracy: r.final.test?.accuracy,
          },
          async () => {
            await subset(batch, 19);
          },
        );
      } finally {
        model.dispose();
      }
    });

    // -- 3. VGG-17 features over the training images --------------------------------------------------
    await recorder.stage(settings, 'vgg_features', async () => {
      const n = settings.vggImages > 0 ? Math.min(settings.vggImages, xTrain.shape[0]) : xTrain.shape[0];
      const batch = Math.min(settings.vggBatch, n);
      const model = buildVgg16Features({ inputSize: size, seed });
      const xs = n === xTrain.shape[0] ? xTrain : tf.slice(xTrain, [0, 0, 0, 0], [n, -1, -1, -1]);
      const extract = async (x: tf.Tensor4D, batchSize: number) =>
        (await extractFeatures(model, x, { batchSize })).dispose();
      try {
        const one = tf.slice(xTrain, [0, 0, 0, 0], [1, -1, -1, -1]);
        const first = tf.slice(xTrain, [0, 0, 0, 0], [batch, -1, -1, -1]);
        let m;
        try {
          m = await measure({
            probe: () =>
              scaledProbe({
                single: () => extract(one, 1),
                singleScale: n,
                batch: batch > 1 ? () => extract(first, batch) : undefined,
                batchScale: Math.ceil(n / batch),
                budget: settings.stageBudget,
              }),
            run: () => extract(xs, batch),
            reps: settings.reps.vgg,
            budget: settings.stageBudget,
          });
          // Profile one batch: every batch runs the same kernels.
          m = await addProfile(settings, m, () => extract(first, batch));
        } finally {
          tf.dispose([one, first]);
        }
        return { ...m, images: n, batch };
      } finally {
        if (xs !== xTrain) xs.dispose();
        model.dispose();
      }
    });

    // -- 4. LRP, 8 test images, target = true class -----------------------------------------------------
    await recorder.stage(settings, 'lrp_net1', async () => {
      const model = buildNet1({ numClasses, inputSize: size, seed });
      try {
        return await measureLrp(model, xTest, yTest, settings);
      } finally {
        model.dispose();
      }
    });

    await recorder.stage(settings, 'lrp_vgg', async () => {
      const features = buildVgg16Features({ inputSize: size, seed });
      const featureSize = (size / 8) * (size / 8) * 256;
      const model = buildNet3({ head: randomHead(featureSize, numClasses, seed), features });
      try {
        return await measureLrp(model, xTest, yTest, settings);
      } finally {
        model.dispose();
      }
    });

    await recorder.stage(settings, 'lrp_face', async () => {
      const backbone = buildFaceBackbone({ weights: readFaceApiWeights() });
      const model = buildNet4({ head: randomHead(FACE_DESCRIPTOR_SIZE, numClasses, seed), backbone });
      const k = Math.min(settings.lrpImages, xTest.shape[0]);
      // The 64×64 crops scaled up to the backbone's 150×150 input (bilinear is linear, so scaling
      // the normalised values equals normalising the scaled pixels).
      const faces = tf.tidy(() =>
        tf.image.resizeBilinear(tf.slice(xTest, [0, 0, 0, 0], [k, -1, -1, -1]), [FACE_INPUT_SIZE, FACE_INPUT_SIZE]),
      );
      try {
        const m = await measureLrp(model, faces, yTest, settings);
        return { ...m, flops: m.status === 'ok' ? k * lrpFlops(modelLinearLayers(model)) : undefined };
      } finally {
        faces.dispose();
        model.dispose();
      }
    });
  } finally {
    tf.dispose([xTrain, xTest]);
  }
}
