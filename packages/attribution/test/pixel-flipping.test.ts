import * as tf from '@tensorflow/tfjs';
import { aopc, auc, pixelFlipping } from '../src';
import { maxDiff, useBackend } from './helpers/backend';
import { linearModel } from './helpers/models';

beforeAll(() => useBackend('cpu'));

// y_0 = 2x₀ − x₁ + x₂ + 0.5x₃, y_1 = 0.25 (bias only). Replacing a pixel by 0 removes exactly its
// contribution w·x, so flipping by |w·x| order is optimal and every curve can be written down by hand.
const W = [
  [2, 0],
  [-1, 0],
  [1, 0],
  [0.5, 0],
];
const xs = [1, 2, 3, 4, -1, 0, 2, 1];
// image 0: contributions [2, −2, 3, 2], y = 5; image 1: [−2, 0, 2, 0.5], y = 0.5
// MoRF  image 0 removes 3, 2, 2, −2 → 5, 2, 0, −2, 0;   image 1 removes 2, 0.5, 0, −2 → 0.5, −1.5, −2, −2, 0
// LeRF  image 0 removes −2, 2, 2, 3 → 5, 7, 5, 3, 0;    image 1 removes −2, 0, 0.5, 2 → 0.5, 2.5, 2.5, 2, 0
const morf = [2.75, 0.25, -1, -2, 0];
const lerf = [2.75, 4.75, 3.75, 2.5, 0];
// accuracy (class 0 wins while y_0 > 0.25): MoRF [1, .5, 0, 0, 0], LeRF [1, 1, 1, 1, 0]

describe('pixel flipping on a linear model', () => {
  let model: tf.Sequential;
  let x: tf.Tensor4D;
  let heat: tf.Tensor3D;
  beforeAll(() => {
    model = linearModel(W, [0, 0.25], [1, 4, 1]);
    x = tf.tensor4d(xs, [2, 1, 4, 1]);
    heat = tf.tensor3d([2, -2, 3, 2, -2, 0, 2, 0.5], [2, 1, 4]);
  });
  afterAll(() => {
    tf.dispose([x, heat]);
    model.dispose();
  });

  test('curves, AUCs, AOPC and SRG as computed by hand (rows split across images)', () => {
    const r = pixelFlipping(model, x, heat, { target: [0, 0], steps: 4, patch: 1, replacement: 0, batchSize: 3 });
    expect(r.fraction).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(maxDiff(r.morf!.logit, morf)).toBeLessThan(1e-5);
    expect(maxDiff(r.lerf!.logit, lerf)).toBeLessThan(1e-5);
    expect(r.morf!.accuracy).toEqual([1, 0.5, 0, 0, 0]);
    expect(r.lerf!.accuracy).toEqual([1, 1, 1, 1, 0]);
    // AUC(MoRF) = ¼·(1.5 − 0.375 − 1.5 − 1) = −0.34375; AUC(LeRF) = ¼·(3.75 + 4.25 + 3.125 + 1.25) = 3.09375
    expect(r.morf!.aucLogit).toBeCloseTo(-0.34375, 5);
    expect(r.lerf!.aucLogit).toBeCloseTo(3.09375, 5);
    expect(r.srg!.logit).toBeCloseTo(3.4375, 5);
    // AOPC(MoRF) = (0 + 2.5 + 3.75 + 4.75 + 2.75)/5 = 2.75; AOPC(LeRF) = (0 − 2 − 1 + 0.25 + 2.75)/5 = 0
    expect(r.morf!.aopcLogit).toBeCloseTo(2.75, 5);
    expect(r.lerf!.aopcLogit).toBeCloseTo(0, 5);
    // accuracy AUCs: ¼·(0.75 + 0.25) = 0.25 and ¼·(1 + 1 + 1 + 0.5) = 0.875
    expect(r.morf!.aucAccuracy).toBeCloseTo(0.25, 6);
    expect(r.srg!.accuracy).toBeCloseTo(0.625, 6);
    expect(r.protocol).toMatchObject({
      steps: 4,
      patch: 1,
      regions: 4,
      replacement: '0',
      normalize: 'none',
      images: 2,
    });
  });

  test('no other ordering beats the exact contributions on MoRF', () => {
    const best = pixelFlipping(model, x, heat, {
      target: [0, 0],
      steps: 4,
      patch: 1,
      replacement: 0,
      orders: ['morf'],
    });
    for (const perm of [
      [0, 1, 2, 3],
      [3, 2, 1, 0],
      [1, 3, 0, 2],
    ]) {
      const h = tf.tensor3d([...perm, ...perm], [2, 1, 4]);
      const r = pixelFlipping(model, x, h, { target: [0, 0], steps: 4, patch: 1, replacement: 0, orders: ['morf'] });
      expect(r.morf!.aucLogit).toBeGreaterThanOrEqual(best.morf!.aucLogit - 1e-6);
      expect(r.lerf).toBeUndefined();
      h.dispose();
    }
  });

  test('each (image, order, flipped count) is one forward row; the image and its full replacement are shared', () => {
    // 4 regions, 4 steps: per image the original, the fully replaced copy, and 3 partial counts per order
    const r = pixelFlipping(model, x, heat, { target: [0, 0], steps: 4, patch: 1, replacement: 0, batchSize: 5 });
    expect(r.forwardRows).toBe(2 * (2 + 2 * 3));
  });

  test('more steps than regions: steps that flip the same count repeat its value', () => {
    // step s flips round(s·4/8) regions: 0, 1, 1, 2, 2, 3, 3, 4, 4 (Math.round rounds halves up)
    const r = pixelFlipping(model, x, heat, { target: [0, 0], steps: 8, patch: 1, replacement: 0 });
    const expected = [0, 1, 1, 2, 2, 3, 3, 4, 4].map((k) => morf[k]);
    expect(maxDiff(r.morf!.logit, expected)).toBeLessThan(1e-5);
    // trapezoid with Δ = 1/8: (1.5 + 0.25 − 0.375 − 1 − 1.5 − 2 − 1 + 0)/8
    expect(r.morf!.aucLogit).toBeCloseTo(-0.515625, 5);
    expect(r.forwardRows).toBe(2 * (2 + 2 * 3));
  });

  test("normalize 'initial' divides the curves by the unperturbed mean", () => {
    const r = pixelFlipping(model, x, heat, {
      target: [0, 0],
      steps: 4,
      patch: 1,
      replacement: 0,
      normalize: 'initial',
    });
    expect(
      maxDiff(
        r.morf!.logit,
        morf.map((v) => v / 2.75),
      ),
    ).toBeLessThan(1e-5);
  });

  test('regions of 2×… pixels, replacements, and no leaks', () => {
    const x2 = tf.randomNormal([3, 6, 6, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const m = linearModel(
      Array.from({ length: 108 }, (_, i) => [Math.sin(i), Math.cos(i)]),
      null,
      [6, 6, 3],
    );
    const h = tf.randomUniform([3, 6, 6], 0, 1, 'float32', 2);
    const before = tf.memory().numTensors;
    for (const replacement of ['mean', 'blur', 'uniform', 'inpaint'] as const) {
      const r = pixelFlipping(m, x2, h, { target: [0, 1, 0], steps: 5, patch: 4, replacement, batchSize: 7 });
      // 4×4 regions on 6×6: 2×2 = 4 regions (border ones smaller); all replaced at the end
      expect(r.protocol.regions).toBe(4);
      expect(r.morf!.logit).toHaveLength(6);
      expect(r.morf!.logit[0]).toBeCloseTo(r.lerf!.logit[0], 5);
      expect(r.morf!.logit[5]).toBeCloseTo(r.lerf!.logit[5], 5);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x2, h]);
    m.dispose();
  });

  test('bad input is named', () => {
    expect(() => pixelFlipping(model, x, heat, { target: [0] })).toThrow(/one class per image \(2\)/);
    const wrong = tf.zeros([2, 4, 1]);
    expect(() => pixelFlipping(model, x, wrong, { target: [0, 0] })).toThrow(/heatmaps have shape \[2,4,1\]/);
    expect(() => pixelFlipping(model, x, heat, { target: [0, 0], replacement: 'zero' as never })).toThrow(
      /replacement must be/,
    );
    wrong.dispose();
  });
});

test('auc and aopc by hand', () => {
  expect(auc([1, 0], [0, 1])).toBeCloseTo(0.5);
  expect(auc([0, 1, 1], [0, 0.5, 1])).toBeCloseTo(0.75);
  expect(aopc([4, 2, 0])).toBeCloseTo((0 + 2 + 4) / 3);
});

test("'inpaint' fills a region with the mean of the pixels around it", () => {
  // y = Σ pixels of a 2×2 image [1, 2; 3, 10]; 1×1 regions, each replaced by the mean of its (up to 8) neighbours:
  // (2+3+10)/3 = 5, (1+3+10)/3 = 14/3, (1+2+10)/3 = 13/3, (1+2+3)/3 = 2 → Σ = 16 once all are replaced
  const model = linearModel([[1], [1], [1], [1]], null, [2, 2, 1]);
  const x = tf.tensor4d([1, 2, 3, 10], [1, 2, 2, 1]);
  const heat = tf.tensor3d([4, 3, 2, 1], [1, 2, 2]);
  const r = pixelFlipping(model, x, heat, {
    target: [0],
    steps: 4,
    patch: 1,
    replacement: 'inpaint',
    orders: ['morf'],
  });
  // most relevant first: pixel 0 (→ 5), then 1 (→ 14/3), 2 (→ 13/3), 3 (→ 2)
  expect(maxDiff(r.morf!.logit, [16, 5 + 2 + 3 + 10, 5 + 14 / 3 + 3 + 10, 5 + 14 / 3 + 13 / 3 + 10, 16])).toBeLessThan(
    1e-5,
  );
  tf.dispose([x, heat]);
  model.dispose();
});
