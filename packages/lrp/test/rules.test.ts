/**
 * Each rule on small nets whose relevance is worked out by hand in the comments (not by the code).
 *
 * Two-layer net used below, x = [1, 2]:
 *   layer 1 (Dense, ReLU): W1 = [[1, 2], [-1, 1]] (rows: inputs), b1 = [0.5, -1]
 *     z1 = [1·1 + 2·(−1) + 0.5, 1·2 + 2·1 − 1] = [−0.5, 3]  → a1 = [0, 3]
 *   layer 2 (Dense):       W2 = [[2, −1], [1, 1]],          b2 = [0, 1]
 *     f = [0·2 + 3·1 + 0, 0·(−1) + 3·1 + 1] = [3, 4];  target class 1 → R2 = [0, 4]
 */
import * as tf from '@tensorflow/tfjs';
import {
  alphaBeta,
  composite,
  epsilon,
  explain,
  flat,
  gamma,
  generalRule,
  lrp0,
  basicRule,
  inputModifiers,
  pass,
  sumOfProducts,
  wSquare,
  zBox,
  zPlus,
  type Rule,
} from '../src';
import { BACKENDS, useBackend } from './helpers/backend';
import { dense, sequential } from './helpers/models';

function twoLayer() {
  return sequential([
    dense(
      [
        [1, 2],
        [-1, 1],
      ],
      [0.5, -1],
      { activation: 'relu', inputShape: [2] },
    ),
    dense(
      [
        [2, -1],
        [1, 1],
      ],
      [0, 1],
    ),
  ]);
}

/** Input relevance and the relevance at layer 1's output, with rule1 on layer 1 and rule2 on layer 2. */
function run(model: tf.LayersModel, x: number[], target: number, rule1: Rule, rule2: Rule) {
  const c = composite({
    rules: [
      { match: { position: 'first' }, rule: rule1 },
      { match: { position: 'last' }, rule: rule2 },
    ],
  });
  const xt = tf.tensor2d([x]);
  const res = explain(model, xt, { target, composite: c, returnLayers: true });
  const out = {
    r0: Array.from(res.relevance.dataSync()),
    r1: Array.from(res.layers![1].relevance.dataSync()),
  };
  tf.dispose([xt, res.relevance, res.output, ...res.layers!.map((l) => l.relevance)]);
  return out;
}

function close(actual: number[], expected: number[], tol = 1e-5) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i])).toBeLessThanOrEqual(tol));
}

describe.each(BACKENDS)('rules by hand on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it('LRP-0', () => {
    // layer 2: s = R2 / f = [0, 1]; c = W2·s = [−1, 1]; R1 = a1·c = [0, 3]
    // layer 1: s = [0, 3/3] = [0, 1]; c = W1·s = [2, 1]; R0 = x·c = [2, 2]
    const { r0, r1 } = run(twoLayer(), [1, 2], 1, lrp0(), lrp0());
    close(r1, [0, 3]);
    close(r0, [2, 2]);
  });

  it('LRP-γ (γ = 0.5, on weights and biases)', () => {
    // layer 2: ρW2 = [[3, −1], [1.5, 1.5]], ρb2 = [0, 1.5]; z = [4.5, 3·1.5 + 1.5] = [4.5, 6]
    //   s = [0, 4/6]; c = ρW2·s = [−2/3, 1]; R1 = [0, 3]
    // layer 1: ρW1 = [[1.5, 3], [−1, 1.5]], ρb1 = [0.75, −1]; z = [0.25, 3 + 3 − 1] = [0.25, 5]
    //   s = [0, 3/5]; c = ρW1·s = [1.8, 0.9]; R0 = [1.8, 1.8]
    const { r0, r1 } = run(twoLayer(), [1, 2], 1, gamma({ gamma: 0.5 }), gamma({ gamma: 0.5 }));
    close(r1, [0, 3]);
    close(r0, [1.8, 1.8]);
  });

  it('LRP-ε (plain, ε = 1)', () => {
    // layer 2: z = f + 1 = [4, 5]; s = [0, 0.8]; c = W2·s = [−0.8, 0.8]; R1 = [0, 2.4]
    // layer 1: z = z1 + 1 = [0.5, 4]; s = [0, 0.6]; c = W1·s = [1.2, 0.6]; R0 = [1.2, 1.2]
    const { r0, r1 } = run(twoLayer(), [1, 2], 1, epsilon({ epsilon: 1 }), epsilon({ epsilon: 1 }));
    close(r1, [0, 2.4]);
    close(r0, [1.2, 1.2]);
  });

  it('LRP-ε: plain vs sign-aware stabilizer on a negative output', () => {
    // one Dense layer, x = [1, 2], W = [[1], [−1]], b = 0: f = −1, R = −1
    // plain ε = 0.5: z = −0.5, s = 2, c = [2, −2], R0 = [2, −4]
    // sign ε = 0.5:  z = −1.5, s = 2/3, c = [2/3, −2/3], R0 = [2/3, −4/3]
    const model = sequential([dense([[1], [-1]], [0], { inputShape: [2] })]);
    const one = (rule: Rule) => run(model, [1, 2], 0, rule, rule).r0;
    close(one(epsilon({ epsilon: 0.5 })), [2, -4]);
    close(one(epsilon({ epsilon: 0.5, mode: 'sign' })), [2 / 3, -4 / 3]);
  });

  it('z^B (box [−1, 3]) on the first layer, LRP-0 on the top', () => {
    // top: R1 = [0, 3] (as LRP-0 above). Layer 1, l = −1, h = 3:
    //   W⁺ = [[1, 2], [0, 1]], W⁻ = [[0, 0], [−1, 0]]; unit 1: z = x·W − l·W⁺ − h·W⁻ (biases cancel)
    //   = 4 − (−1)(2 + 1) − 3·0 = 7;  s = [0, 3/7]
    //   c = W·s = [6/7, 3/7], c⁺ = W⁺·s = [6/7, 3/7], c⁻ = W⁻·s = [0, 0]
    //   R0 = x·c − l·c⁺ − h·c⁻ = [6/7 + 6/7, 6/7 + 3/7] = [12/7, 9/7]   (sums to 3: conserved)
    const { r0 } = run(twoLayer(), [1, 2], 1, zBox({ low: -1, high: 3 }), lrp0());
    close(r0, [12 / 7, 9 / 7]);
  });

  it('z⁺ (α1β0)', () => {
    // layer 2 (a1 ≥ 0): W2⁺ = [[2, 0], [1, 1]], b2⁺ = [0, 1]: z = [3, 4]; s = [0, 1]; c = [0, 1]; R1 = [0, 3]
    // layer 1 (x ≥ 0): W1⁺ = [[1, 2], [0, 1]], b1⁺ = [0.5, 0]: z = [1.5, 4]; s = [0, 0.75]
    //   c = W1⁺·s = [1.5, 0.75]; R0 = [1.5, 1.5]
    const { r0, r1 } = run(twoLayer(), [1, 2], 1, zPlus(), zPlus());
    close(r1, [0, 3]);
    close(r0, [1.5, 1.5]);
  });

  it('α2β1, also with negative inputs', () => {
    // one Dense layer, x = [1, 2], W = [[3], [−1]], b = 0: f = 1, R = 1
    //   positive part: 1·3 / 3 → [1, 0]; negative part: 2·(−1) / (−2) → [0, 1]
    //   R = 2·[1, 0] − 1·[0, 1] = [2, −1]
    const model = sequential([dense([[3], [-1]], [0], { inputShape: [2] })]);
    close(run(model, [1, 2], 0, alphaBeta({ alpha: 2, beta: 1 }), alphaBeta({ alpha: 2, beta: 1 })).r0, [2, -1]);
    close(run(model, [1, 2], 0, zPlus(), zPlus()).r0, [1, 0]);
    // x = [−1, 2], W = [[−3], [1]]: f = 3 + 2 = 5, R = 5. a⁻w⁻ = (−1)(−3) = 3 and a⁺w⁺ = 2 are positive:
    //   z⁺ = 5 → R⁺ = [3, 2]; no negative contributions (z⁻ = 0 → nothing to take) → α1β0: [3, 2]
    const neg = sequential([dense([[-3], [1]], [0], { inputShape: [2] })]);
    close(run(neg, [-1, 2], 0, zPlus(), zPlus()).r0, [3, 2]);
  });

  it('flat and w²', () => {
    // one Dense layer, x = [1, 2], W = [[3], [−1]], b = 0.5: f = 1.5, R = 1.5
    // flat: every input counts 1 → [0.75, 0.75];  w²: 9 : 1 → [1.35, 0.15]
    const model = sequential([dense([[3], [-1]], [0.5], { inputShape: [2] })]);
    close(run(model, [1, 2], 0, flat(), flat()).r0, [0.75, 0.75]);
    close(run(model, [1, 2], 0, wSquare(), wSquare()).r0, [1.35, 0.15]);
  });

  it('pass-through and a custom ρ / increment', () => {
    // pass on layer 1 (2 → 2 units): R0 = R1 = [0, 3] (R1 from LRP-0 on the top)
    close(run(twoLayer(), [1, 2], 1, pass(), lrp0()).r0, [0, 3]);
    // ρ(w) = |w| on the top layer, z + 2: ρW2 = [[2, 1], [1, 1]], ρb2 = [0, 1]
    //   z = [3, 4] + 2 = [5, 6]; s = [0, 4/6]; c = [2/3, 2/3]; R1 = [0, 2]
    const custom = generalRule({ rho: (p) => tf.abs(p), stabilizer: (z) => tf.add(z, 2) });
    close(run(twoLayer(), [1, 2], 1, lrp0(), custom).r1, [0, 2]);
  });

  /** One Dense layer, w = [1, −2], b = 0.5, target 0: relevance starts at f(x) = z. */
  function single(x: number[], rule: Rule): number[] {
    const model = sequential([dense([[1], [-2]], [0.5], { inputShape: [2] })]);
    const xt = tf.tensor2d([x]);
    const res = explain(model, xt, { target: 0, composite: composite({ rules: [{ match: () => true, rule }] }) });
    const r = Array.from(res.relevance.dataSync());
    tf.dispose([xt, res.relevance, res.output]);
    model.dispose();
    return r;
  }

  it("LRP-γ, zennit's sign-aware form, on a negative output (γ = 0.5)", () => {
    // x = [1, 1]: z = 1 − 2 + 0.5 = −0.5 < 0 → ρ(w) = w + γw⁻ = [1, −3], ρ(b) = 0.5 (b ≥ 0)
    //   z_γ = 1 − 3 + 0.5 = −1.5; s = −0.5 / −1.5 = 1/3; R0 = a·ρ(w)·s = [1/3, −1]
    close(single([1, 1], gamma({ gamma: 0.5 })), [1 / 3, -1]);
    // The tutorial's form flips the denominator's sign: ρ(w) = [1.5, −2], ρ(b) = 0.75, z_γ = 0.25,
    //   s = −2, R0 = [−3, 4]: the evidence reversed and amplified.
    close(single([1, 1], gamma({ gamma: 0.5, form: 'tutorial' })), [-3, 4]);
    // x = [−1, 1]: z = −2.5 < 0. Terms: a⁺ = [0, 1] with w + γw⁻ = [1, −3] and the bias: −3 + 0.5 = −2.5;
    //   a⁻ = [−1, 0] with w + γw⁺ = [1.5, −2], no bias: −1.5. z_γ = −4, s = −2.5 / −4 = 0.625;
    //   R0 = a⁺·[1, −3]·s + a⁻·[1.5, −2]·s = [−0.9375, −1.875]
    close(single([-1, 1], gamma({ gamma: 0.5 })), [-0.9375, -1.875]);
  });

  it('a rule of your own from terms, a gradient mapper and a reducer (zennit-style)', () => {
    // Output modifier 2z: x = [1, 1], z = −0.5 → 2z = −1; s = −0.5 / −1 = 0.5; R0 = a·w·s = [0.5, −1]
    const halved = basicRule({
      name: 'halved',
      terms: [{ output: (z) => tf.mul(z, 2) }],
      gradientMapper: (r, [z]) => [tf.div(r, z!)],
      reducer: sumOfProducts,
    });
    close(single([1, 1], halved), [0.5, -1]);
    // Input modifier a⁺ (bias kept): x = [−1, 1], f = −2.5; z = 0 − 2 + 0.5 = −1.5; s = 5/3;
    //   R0 = a⁺·w·s = [0, −10/3]
    const positiveOnly = basicRule({
      name: 'positive-inputs',
      terms: [{ input: inputModifiers.positive }],
      gradientMapper: (r, [z]) => [tf.div(r, z!)],
      reducer: sumOfProducts,
    });
    close(single([-1, 1], positiveOnly), [0, -10 / 3]);
  });
});
