import * as tf from '@tensorflow/tfjs';
import { buildNet1, buildNet2, evaluate, scorePredictions, selectBackend, train } from '../src';
import { syntheticFaces } from './fixture';

let data: { x: tf.Tensor4D; y: Int32Array };

beforeAll(async () => {
  await selectBackend({ backend: 'wasm', threads: 1 });
  data = syntheticFaces(48);
});
afterAll(() => data.x.dispose());

const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;

describe('train', () => {
  test('a few SGD steps lower the loss; evaluations follow the tutorial schedule', async () => {
    const model = buildNet1({ numClasses: 3, inputSize: 16, seed: 1 });
    const evaluations: number[] = [];
    const steps: number[] = [];
    const result = await train(
      model,
      { xTrain: data.x, yTrain: data.y, xTest: data.x, yTest: data.y },
      {
        iterations: 40,
        batchSize: 12,
        learningRate: 0.02,
        seed: 3,
        onStep: ({ iteration }) => {
          steps.push(iteration);
        },
        onEvaluate: ({ iteration }) => {
          evaluations.push(iteration);
        },
      },
    );
    // nbit = 40: steps i = 0..40 (nbit + 1), evaluation when i % (nbit/5) == 0.
    expect(result.steps).toBe(41);
    expect(steps).toEqual(Array.from({ length: 41 }, (_, i) => i));
    expect(evaluations).toEqual([0, 8, 16, 24, 32, 40]);
    expect(mean(result.losses.slice(-8))).toBeLessThan(0.8 * mean(result.losses.slice(0, 8)));
    expect(result.final.train.accuracy).toBeGreaterThan(0.5);
    expect(result.config).toMatchObject({ iterations: 40, batchSize: 12, learningRate: 0.02, momentum: 0.9, seed: 3 });
    model.dispose();
  });

  test('a seed makes runs reproducible (batches and dropout masks)', async () => {
    const run = async () => {
      const model = buildNet2({ numClasses: 3, inputSize: 16, seed: 11 });
      const r = await train(model, { xTrain: data.x, yTrain: data.y }, { iterations: 6, batchSize: 8, seed: 5 });
      model.dispose();
      return r.losses;
    };
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    const model = buildNet2({ numClasses: 3, inputSize: 16, seed: 11 });
    const c = await train(model, { xTrain: data.x, yTrain: data.y }, { iterations: 6, batchSize: 8, seed: 6 });
    expect(c.losses).not.toEqual(a);
    model.dispose();
  });

  test('no tensor leaks across training and evaluation', async () => {
    const model = buildNet2({ numClasses: 3, inputSize: 16, seed: 2 });
    const before = tf.memory().numTensors;
    await train(
      model,
      { xTrain: data.x, yTrain: data.y, xTest: data.x, yTest: data.y },
      { iterations: 3, batchSize: 5, seed: 1 },
    );
    expect(tf.memory().numTensors).toBe(before);
    evaluate(model, data.x, data.y, 3, { batchSize: 7 });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  test('abort signal stops early; bad input gives clear errors', async () => {
    const model = buildNet1({ numClasses: 3, inputSize: 16, seed: 2 });
    const controller = new AbortController();
    const r = await train(
      model,
      { xTrain: data.x, yTrain: data.y },
      {
        iterations: 100,
        batchSize: 4,
        seed: 1,
        onStep: ({ iteration }) => {
          if (iteration === 2) controller.abort();
        },
        signal: controller.signal,
      },
    );
    expect(r.stopped).toBe(true);
    expect(r.steps).toBe(3);
    await expect(train(model, { xTrain: data.x, yTrain: data.y.slice(1) })).rejects.toThrow(/labels/);
    await expect(train(model, { xTrain: data.x, yTrain: data.y.map(() => 7) })).rejects.toThrow(/outside \[0, 3\)/);
    await expect(train(model, { xTrain: data.x, yTrain: data.y }, { batchSize: 100 })).rejects.toThrow(/batchSize/);
    model.dispose();
  });
});

describe('evaluate', () => {
  test('accuracy, per-class accuracy and confusion matrix (hand-computed)', () => {
    const e = scorePredictions([0, 1, 1, 2, 0, 2], [0, 1, 2, 2, 1, 2], 4);
    expect(e.confusion).toEqual([
      [1, 0, 0, 0],
      [1, 1, 0, 0],
      [0, 1, 2, 0],
      [0, 0, 0, 0],
    ]);
    expect(e.accuracy).toBeCloseTo(4 / 6);
    expect(e.perClass.slice(0, 3)).toEqual([1, 0.5, 2 / 3]);
    expect(e.perClass[3]).toBeNaN();
  });

  test('batched evaluation equals a single pass', () => {
    const model = buildNet1({ numClasses: 3, inputSize: 16, seed: 9 });
    const whole = tf.tidy(() => Array.from((model.predict(data.x) as tf.Tensor).argMax(1).dataSync()));
    const e = evaluate(model, data.x, data.y, 3, { batchSize: 7 });
    expect(e).toEqual(scorePredictions(whole, data.y, 3));
    model.dispose();
  });
});
