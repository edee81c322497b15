import * as tf from '@tensorflow/tfjs';
import { completeness, gradCam, gradient, inputXGradient, integratedGradients, smoothGrad } from '../src';
import { maxDiff, useBackend } from './helpers/backend';
import { linearModel } from './helpers/models';

beforeAll(() => useBackend('cpu'));

describe('a linear model: the exact contributions are w·x', () => {
  // y_k = Σ_p W[p][k] x_p on 1×4×1 inputs (no bias): the contribution of pixel p to class k is W[p][k]·x_p.
  const W = [
    [2, 0.5],
    [-1, 1],
    [1, -2],
    [0.5, 3],
  ];
  const xs = [
    [1, 2, 3, 4],
    [-1, 0, 2, 1],
  ];
  const contributions = [
    [2 * 1, -1 * 2, 1 * 3, 0.5 * 4],
    [0.5 * -1, 1 * 0, -2 * 2, 3 * 1],
  ]; // image 0 explained for class 0, image 1 for class 1
  let model: tf.Sequential;
  let x: tf.Tensor4D;
  beforeAll(() => {
    model = linearModel(W, null, [1, 4, 1]);
    x = tf.tensor4d(xs.flat(), [2, 1, 4, 1]);
  });
  afterAll(() => tf.dispose([model, x] as never));

  test('Gradient is the weight row of the target', () => {
    const r = gradient(model, x, { target: [0, 1] });
    expect(maxDiff(r.relevance.dataSync(), [2, -1, 1, 0.5, 0.5, 1, -2, 3])).toBeLessThan(1e-6);
    tf.dispose([r.relevance, r.output]);
  });

  test('Gradient × Input = Integrated Gradients (zeros baseline, any steps) = the contributions', () => {
    const gxi = inputXGradient(model, x, { target: [0, 1] });
    const ig = integratedGradients(model, x, { target: [0, 1], steps: 3, rule: 'riemann-right' });
    expect(maxDiff(gxi.relevance.dataSync(), contributions.flat())).toBeLessThan(1e-6);
    expect(maxDiff(ig.relevance.dataSync(), contributions.flat())).toBeLessThan(1e-6);
    // completeness: Σ attr = f(x) − f(0) = f(x) exactly
    expect(maxDiff(ig.completeness.gap, [0, 0])).toBeLessThan(1e-5);
    expect(maxDiff(ig.completeness.outputDifference, [2 - 2 + 3 + 2, -0.5 + 0 - 4 + 3])).toBeLessThan(1e-5);
    expect(maxDiff(completeness(gxi).ratio, [1, 1])).toBeLessThan(1e-6);
    tf.dispose([gxi.relevance, gxi.output, ig.relevance, ig.output]);
  });

  test('SmoothGrad of a linear model is its gradient whatever the noise', () => {
    const r = smoothGrad(model, x, { target: 0, samples: 4, noiseLevel: 0.5 });
    expect(maxDiff(r.relevance.dataSync(), [2, -1, 1, 0.5, 2, -1, 1, 0.5])).toBeLessThan(1e-5);
    tf.dispose([r.relevance, r.output]);
  });

  test('Integrated Gradients with a given baseline: (x − x̄)·w, gap 0', () => {
    const base = tf.tensor3d([1, 1, 1, 1], [1, 4, 1]);
    const r = integratedGradients(model, x, { target: 0, baseline: base, steps: 2 });
    const want = xs.flat().map((v, i) => (v - 1) * W[i % 4][0]);
    expect(maxDiff(r.relevance.dataSync(), want)).toBeLessThan(1e-6);
    expect(maxDiff(r.completeness.gap, [0, 0])).toBeLessThan(1e-5);
    tf.dispose([r.relevance, r.output, base]);
  });
});

test('Grad-CAM on a one-conv net, by hand', () => {
  // conv 1×1 with filters [1, −1] and ReLU: A_1 = relu(x), A_2 = relu(−x); y = Σ_{p,k} v_pk A_pk.
  const model = tf.sequential();
  model.add(
    tf.layers.conv2d({
      name: 'conv',
      inputShape: [2, 2, 1],
      filters: 2,
      kernelSize: 1,
      useBias: false,
      activation: 'relu',
    }),
  );
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 1, useBias: false }));
  const weights = [tf.tensor4d([1, -1], [1, 1, 1, 2]), tf.tensor2d([0.5, 1, -1, 2, 1, 0, 2, -1], [8, 1])];
  model.getLayer('conv').setWeights([weights[0]]);
  model.layers[2].setWeights([weights[1]]);
  const x = tf.tensor4d([1, -2, 3, 0.5], [1, 2, 2, 1]);
  // A_1 = [1, 0, 3, 0.5], A_2 = [0, 2, 0, 0]; ∂y/∂A = v: α_1 = (0.5 − 1 + 1 + 2)/4 = 0.625, α_2 = (1 + 2 + 0 − 1)/4 = 0.5
  // cam = relu(0.625·A_1 + 0.5·A_2) = [0.625, 1, 1.875, 0.3125] (the input size already: no resampling)
  const r = gradCam(model, x, { target: 0 });
  expect(r.layer).toBe('conv');
  expect(maxDiff(r.map.dataSync(), [0.625, 1, 1.875, 0.3125])).toBeLessThan(1e-6);
  expect(maxDiff(r.relevance.dataSync(), [0.625, 1, 1.875, 0.3125])).toBeLessThan(1e-6);
  tf.dispose([r.relevance, r.output, r.map, x, ...weights]);
  model.dispose();
});

test('bad input gets an error naming the fix', () => {
  const model = linearModel([[1], [1]], null, [1, 2, 1]);
  const x3 = tf.zeros([1, 2, 1]);
  const x = tf.zeros([1, 1, 2, 1]) as tf.Tensor4D;
  expect(() => gradient(model, x3 as tf.Tensor4D, { target: 0 })).toThrow(/x.expandDims\(0\)/);
  expect(() => gradient(model, x, { target: 3 })).toThrow(/out of range; the model has 1 outputs/);
  expect(() => gradient(model, x, {} as never)).toThrow(/needs a target/);
  expect(() => integratedGradients(model, x, { target: 0, steps: 0 })).toThrow(/steps must be an integer ≥ 1/);
  expect(() => gradCam(model, x, { target: 0 })).toThrow(/no convolution layer/);
  tf.dispose([x3, x]);
  model.dispose();
});

test('Grad-CAM reads a conv after its own ReLU layer by default (rectified feature maps)', () => {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ name: 'conv', inputShape: [4, 4, 1], filters: 2, kernelSize: 3, padding: 'same' }));
  model.add(tf.layers.reLU({ name: 'relu' }));
  model.add(tf.layers.conv2d({ name: 'top', filters: 3, kernelSize: 4 }));
  model.add(tf.layers.flatten());
  const x = tf.randomNormal([1, 4, 4, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
  const r = gradCam(model, x, { target: 0 });
  expect(r.layer).toBe('relu');
  tf.dispose([r.relevance, r.output, r.map, x]);
  model.dispose();
});
