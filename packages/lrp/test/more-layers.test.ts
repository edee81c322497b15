/**
 * Conv1D, Conv2DTranspose, UpSampling2D, Cropping2D, GlobalMaxPooling2D, MaxPooling1D, AveragePooling1D:
 * in a bias-free piecewise-linear network LRP-0 equals gradient × input, with the gradient taken by
 * tfjs through the model's own layers (an independent path). Activation layers (LeakyReLU, ELU, PReLU,
 * ReLU with a max value, Softmax) keep the forward pass equal to predict, and LRP-0 conserves.
 */
import * as tf from '@tensorflow/tfjs';
import { composite, explain, lrp0, type Composite } from '../src';
import { BACKENDS, maxAbs, maxAbsDiff, rowSums, useBackend } from './helpers/backend';

const allLrp0 = (): Composite => composite({ rules: [{ match: () => true, rule: lrp0({ stabilizer: 1e-12 }) }] });
let seed = 1;
const init = () => tf.initializers.glorotNormal({ seed: seed++ });
const head = (flatten = true) => [
  ...(flatten ? [tf.layers.flatten()] : []),
  tf.layers.dense({ units: 2, useBias: false, kernelInitializer: init() }),
];

/**
 * The model's layers applied in turn, except nearest upsampling written out as a broadcast: tfjs's
 * ResizeNearestNeighborGrad misplaces gradients for unequal factors (the sums agree, the pixels not).
 */
function reference(model: tf.Sequential, v: tf.Tensor): tf.Tensor {
  return model.layers.reduce((t, l) => {
    if (l.getClassName() === 'InputLayer') return t;
    if (l.getClassName() !== 'UpSampling2D') return l.apply(t) as tf.Tensor;
    const [sh, sw] = (l.getConfig().size as number[]) ?? [2, 2];
    const [n, h, w, c] = t.shape;
    return tf.reshape(tf.mul(tf.reshape(t, [n, h, 1, w, 1, c]), tf.ones([1, 1, sh, 1, sw, 1])), [n, h * sh, w * sw, c]);
  }, v);
}

const CASES: [string, number[], () => tf.layers.Layer[]][] = [
  [
    'Conv1D',
    [10, 3],
    () => [
      tf.layers.conv1d({
        filters: 4,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        useBias: false,
        kernelInitializer: init(),
      }),
    ],
  ],
  [
    'Conv2DTranspose same',
    [4, 4, 3],
    () => [
      tf.layers.conv2dTranspose({
        filters: 2,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        useBias: false,
        kernelInitializer: init(),
      }),
    ],
  ],
  [
    'Conv2DTranspose valid',
    [3, 3, 2],
    () => [
      tf.layers.conv2dTranspose({
        filters: 3,
        kernelSize: 3,
        strides: 2,
        padding: 'valid',
        useBias: false,
        kernelInitializer: init(),
      }),
    ],
  ],
  [
    'UpSampling2D',
    [3, 3, 2],
    () => [
      tf.layers.upSampling2d({ size: [2, 3] }),
      tf.layers.conv2d({ filters: 2, kernelSize: 3, useBias: false, kernelInitializer: init() }),
    ],
  ],
  [
    'Cropping2D',
    [6, 6, 2],
    () => [
      tf.layers.cropping2D({
        cropping: [
          [1, 2],
          [0, 1],
        ],
      }),
    ],
  ],
  [
    'GlobalMaxPooling2D',
    [4, 4, 3],
    () => [
      tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: init() }),
      tf.layers.globalMaxPooling2d({}),
      tf.layers.reshape({ targetShape: [1, 3] }),
    ],
  ],
  ['MaxPooling1D', [8, 3], () => [tf.layers.maxPooling1d({ poolSize: 2 })]],
  ['AveragePooling1D', [9, 3], () => [tf.layers.averagePooling1d({ poolSize: 3, strides: 2 })]],
];

const ACTIVATIONS: [string, () => tf.layers.Layer][] = [
  ['LeakyReLU', () => tf.layers.leakyReLU({ alpha: 0.1 })],
  ['ELU', () => tf.layers.elu({})],
  ['PReLU', () => tf.layers.prelu({ alphaInitializer: tf.initializers.constant({ value: 0.3 }) })],
  ['ReLU max 0.5', () => tf.layers.reLU({ maxValue: 0.5 })],
];

describe.each(BACKENDS)('more layers on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(CASES)('%s: LRP-0 = gradient × input', async (_name, shape, layers) => {
    const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: shape }), ...layers(), ...head()] });
    const x = tf.randomUniform([2, ...shape], -1, 1, 'float32', 3);
    const y = model.predict(x) as tf.Tensor;
    const r = explain(model, x, { target: 1, composite: allLrp0() });
    expect(maxAbsDiff(r.output, y)).toBeLessThanOrEqual(1e-5 * maxAbs(y));
    // The gradient on cpu: wasm lacks some gradient kernels, and its MaxPoolGrad drops windows ≤ 0.
    await useBackend('cpu');
    const expected = tf.tidy(() => {
      const g = tf.grad((v: tf.Tensor) => tf.sum(tf.slice(reference(model, v), [0, 1], [-1, 1])))(x);
      return tf.mul(g, x);
    });
    await useBackend(backend);
    expect(maxAbs(expected)).toBeGreaterThan(0);
    expect(maxAbsDiff(r.relevance, expected)).toBeLessThanOrEqual(1e-4 * maxAbs(expected));
    tf.dispose([x, y, r.relevance, r.output, expected]);
    model.dispose();
  });

  it.each(ACTIVATIONS)('%s: forward equals predict, LRP-0 conserves', (_name, activation) => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [5], units: 6, useBias: false, kernelInitializer: init() }),
        activation(),
        tf.layers.dense({ units: 3, useBias: false, kernelInitializer: init() }),
        tf.layers.softmax(),
      ],
    });
    const x = tf.randomUniform([3, 5], -1, 1, 'float32', 4);
    const r = explain(model, x, { target: 0, composite: allLrp0() });
    const probs = model.predict(x) as tf.Tensor;
    expect(maxAbsDiff(tf.softmax(r.output), probs)).toBeLessThanOrEqual(1e-5);
    const logits = r.output.arraySync() as number[][];
    rowSums(r.relevance).forEach((s, i) => expect(Math.abs(s - logits[i][0])).toBeLessThanOrEqual(1e-4));
    tf.dispose([x, r.relevance, r.output, probs]);
    model.dispose();
  });
});
