import * as tf from '@tensorflow/tfjs';
import {
  cascadingRandomization,
  gradCam,
  gradient,
  inputXGradient,
  integratedGradients,
  occlusion,
  randomAttribution,
  ranks,
  smoothGrad,
  spearman,
  ssim,
} from '../src';
import { useBackend } from './helpers/backend';
import { fixtureModel, loadFixture, tensor } from './helpers/fixture';

beforeAll(() => useBackend('cpu'));

describe('similarity measures', () => {
  test('ranks average ties (as scipy.stats.rankdata)', () => {
    expect(Array.from(ranks([1, 2, 2, 3]))).toEqual([1, 2.5, 2.5, 4]);
  });

  test('Spearman: monotone, reversed, and a tied example by hand', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1);
    expect(spearman([1, 2, 3, 4], [4, 1, 0, -5])).toBeCloseTo(-1);
    // ranks of b = [1, 2, 3.5, 5, 3.5]: Σ da·db = 8, Σ da² = 10, Σ db² = 9.5 → 8/√95
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(8 / Math.sqrt(95), 10);
  });

  test('SSIM: 1 for equal maps; one 7×7 window of a pattern and its complement by the formula', () => {
    const a = Array.from({ length: 49 }, (_, i) => (i < 24 ? 1 : 0));
    const b = a.map((v) => 1 - v);
    expect(ssim(a, a, 7, 7)).toBeCloseTo(1, 12);
    // μa = 24/49, μb = 25/49, σa² = σb² = 600/2352, σab = −600/2352 (sample covariances)
    const [ma, mb, v, c1, c2] = [24 / 49, 25 / 49, 600 / 2352, 1e-4, 9e-4];
    const want = ((2 * ma * mb + c1) * (-2 * v + c2)) / ((ma * ma + mb * mb + c1) * (2 * v + c2));
    expect(ssim(a, b, 7, 7)).toBeCloseTo(want, 10);
  });
});

describe('cascading randomization on the fixture net', () => {
  const f = loadFixture();
  let model: tf.Sequential;
  let x: tf.Tensor4D;
  beforeAll(() => {
    model = fixtureModel(f);
    x = tensor(f.x) as tf.Tensor4D;
  });
  afterAll(() => {
    x.dispose();
    model.dispose();
  });

  test('the gradient drifts away from the original, and the weights come back', () => {
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    const heat = (m: tf.LayersModel) => {
      const r = gradient(m, x, { target: f.target });
      r.output.dispose();
      return r.relevance;
    };
    const r = cascadingRandomization(model, heat, { seed: 3 });
    expect(r.steps.map((s) => s.layer)).toEqual(['original', 'conv3', 'conv2', 'conv1']);
    expect(r.steps[0]).toMatchObject({ spearman: 1, ssim: 1 });
    // with every layer random the gradient has nothing to do with the original
    expect(Math.abs(r.steps[3].spearman)).toBeLessThan(0.8);
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
  });
});

describe('no method leaks tensors', () => {
  const f = loadFixture();
  test.each([
    ['gradient', gradient],
    ['inputXGradient', inputXGradient],
    [
      'smoothGrad',
      (m: tf.LayersModel, x: tf.Tensor4D, o: { target: number[] }) =>
        smoothGrad(m, x, { ...o, samples: 3, batchSize: 4 }),
    ],
    [
      'integratedGradients',
      (m: tf.LayersModel, x: tf.Tensor4D, o: { target: number[] }) =>
        integratedGradients(m, x, { ...o, steps: 5, batchSize: 4, baseline: 'blur', blurSigma: 1 }),
    ],
    [
      'integratedGradients uniform',
      (m: tf.LayersModel, x: tf.Tensor4D, o: { target: number[] }) =>
        integratedGradients(m, x, { ...o, steps: 2, baseline: 'uniform' }),
    ],
    [
      'gradCam',
      (m: tf.LayersModel, x: tf.Tensor4D, o: { target: number[] }) => {
        const r = gradCam(m, x, o);
        r.map.dispose();
        return r;
      },
    ],
    [
      'occlusion',
      (m: tf.LayersModel, x: tf.Tensor4D, o: { target: number[] }) => occlusion(m, x, { ...o, patch: 4, batchSize: 3 }),
    ],
    ['randomAttribution', randomAttribution],
  ])('%s', (_, method) => {
    const model = fixtureModel(f);
    const x = tensor(f.x) as tf.Tensor4D;
    const run = () => {
      const r = (
        method as (
          m: tf.LayersModel,
          x: tf.Tensor4D,
          o: { target: number[] },
        ) => { relevance: tf.Tensor; output: tf.Tensor }
      )(model, x, { target: f.target });
      expect(r.relevance.shape).toEqual(x.shape);
      tf.dispose([r.relevance, r.output]);
    };
    run(); // the first call may build and cache (e.g. the logits model)
    const before = tf.memory().numTensors;
    run();
    run();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    model.dispose();
  });
});
