/**
 * Conservation: with zero biases and ε → 0, every conserving rule keeps Σ R_input = f_target(x)
 * (LRP's defining property), through conv/dense/pooling/reshape layers, for every composite.
 */
import * as tf from '@tensorflow/tfjs';
import {
  alphaBeta,
  composite,
  epsilon,
  epsilonAlpha2Beta1,
  epsilonGammaBox,
  epsilonPlus,
  epsilonPlusFlat,
  explain,
  flat,
  gamma,
  lrp0,
  tutorialComposite,
  wSquare,
  zBox,
  zPlus,
  type Composite,
  type Rule,
} from '../src';
import { BACKENDS, rowSums, useBackend } from './helpers/backend';
import { randomConvNet } from './helpers/models';

function everywhere(rule: Rule, first?: Rule): Composite {
  return composite({
    name: `all-${rule.name}`,
    rules: [...(first ? [{ match: { position: 'first' as const }, rule: first }] : []), { match: () => true, rule }],
  });
}

function poolingNet(): tf.Sequential {
  const init = (s: number) => tf.initializers.heNormal({ seed: s });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [8, 8, 3],
        filters: 4,
        kernelSize: 3,
        padding: 'valid',
        activation: 'relu',
        useBias: false,
        kernelInitializer: init(1),
      }),
      tf.layers.averagePooling2d({ poolSize: 2, strides: 1 }),
      tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
      tf.layers.conv2d({ filters: 6, kernelSize: 2, activation: 'relu', useBias: false, kernelInitializer: init(2) }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 3, useBias: false, kernelInitializer: init(3) }),
    ],
  });
}

function checkConservation(model: tf.LayersModel, x: tf.Tensor, c: Composite, tol = 1e-4) {
  const res = explain(model, x, { target: 'predicted', composite: c });
  const f = res.output.arraySync();
  const sums = rowSums(res.relevance);
  sums.forEach((s, i) => {
    const ft = f[i][res.targets[i]];
    expect(Math.abs(s - ft)).toBeLessThanOrEqual(tol * Math.abs(ft));
  });
  tf.dispose([res.relevance, res.output]);
}

describe.each(BACKENDS)('conservation on %s', (backend) => {
  let model: tf.Sequential;
  let pools: tf.Sequential;
  let x: tf.Tensor4D;
  let x8: tf.Tensor4D;
  beforeAll(async () => {
    await useBackend(backend);
    model = randomConvNet({ zeroBias: true, seed: 3 });
    pools = poolingNet();
    x = tf.randomUniform([3, 12, 12, 3], -1.5, 1.5, 'float32', 11) as tf.Tensor4D;
    x8 = tf.randomUniform([2, 8, 8, 3], -1.5, 1.5, 'float32', 12) as tf.Tensor4D;
  });
  afterAll(() => tf.dispose([x, x8]));

  const cases: [string, () => Composite][] = [
    ['LRP-0', () => everywhere(lrp0({ stabilizer: 1e-12 }))],
    ['LRP-ε (ε → 0)', () => everywhere(epsilon({ epsilon: 1e-12 }))],
    ['LRP-ε sign-aware (ε → 0)', () => everywhere(epsilon({ epsilon: 1e-12, mode: 'sign' }))],
    ['LRP-γ', () => everywhere(gamma({ gamma: 0.25, stabilizer: 1e-12 }))],
    ['z⁺ after z^B', () => everywhere(zPlus({ stabilizer: 1e-12 }), zBox({ low: -1.5, high: 1.5, stabilizer: 1e-12 }))],
    ['flat first, then LRP-0', () => everywhere(lrp0({ stabilizer: 1e-12 }), flat({ stabilizer: 1e-12 }))],
    ['w² first, then γ', () => everywhere(gamma({ stabilizer: 1e-12 }), wSquare({ stabilizer: 1e-12 }))],
    ['tutorial composite', () => tutorialComposite({ epsilon: 1e-12 })],
    ['EpsilonGammaBox', () => epsilonGammaBox({ epsilon: 1e-12 })],
    ['EpsilonPlus', () => epsilonPlus({ epsilon: 1e-12 })],
    ['EpsilonPlusFlat', () => epsilonPlusFlat({ epsilon: 1e-12 })],
  ];

  it.each(cases)('%s: Σ R_input = f(x)', (_name, make) => {
    checkConservation(model, x, make());
    checkConservation(pools, x8, make());
  });

  it('α2β1 conserves where every unit has positive and negative contributions', () => {
    // After ReLUs some units see only positive (or no negative) contributions; there αβ is not
    // conserving (zennit's rule behaves the same), so this uses a linear dense net on signed inputs.
    const init = (s: number) => tf.initializers.randomNormal({ seed: s });
    const linear = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [16], units: 12, useBias: false, kernelInitializer: init(1) }),
        tf.layers.dense({ units: 4, useBias: false, kernelInitializer: init(2) }),
      ],
    });
    const v = tf.randomNormal([3, 16], 0, 1, 'float32', 5);
    checkConservation(
      linear,
      v,
      composite({ rules: [{ match: () => true, rule: alphaBeta({ alpha: 2, beta: 1, stabilizer: 1e-12 }) }] }),
    );
    checkConservation(linear, v, epsilonAlpha2Beta1({ epsilon: 1e-12 }));
    v.dispose();
  });

  it('max pooling treated as average pooling', () => {
    const c = composite({ rules: [{ match: () => true, rule: lrp0({ stabilizer: 1e-12 }) }], maxPool: 'average' });
    checkConservation(pools, x8, c);
  });
});
