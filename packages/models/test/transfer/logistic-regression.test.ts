import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  appendLogisticRegression,
  fitLogisticRegression,
  applyLogisticRegression,
  predictLogisticRegression,
  type LogisticRegressionModel,
} from '../../src/transfer';

interface Fixture {
  n: number;
  d: number;
  k: number;
  X: number[];
  y: number[];
  fits: { C: number; coef: number[]; intercept: number[]; loss: number; accuracy: number }[];
}
// scikit-learn 1.2 LogisticRegression(C, tol=1e-10) on a small 3-class problem (make_logreg_fixture.py).
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'logreg-sklearn.json'), 'utf8')) as Fixture;
const X = Float32Array.from(fixture.X);

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function logitsByHand(model: LogisticRegressionModel, features: Float32Array, n: number): number[][] {
  const { numClasses: k, numFeatures: d } = model;
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: k }, (_, j) => {
      let z = model.intercept[j];
      for (let f = 0; f < d; f++) z += features[i * d + f] * model.coef[j * d + f];
      return z;
    }),
  );
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('fitLogisticRegression', () => {
  it.each(fixture.fits.map((f) => [f.C, f] as const))("lbfgs reaches scikit-learn's optimum (C=%p)", async (C, fit) => {
    // float32 matrix products: the line search stalls near max|grad| ~ 1e-5, well inside sklearn's optimum.
    const model = await fitLogisticRegression(X, fixture.y, { C, tol: 1e-6, maxIter: 500 });
    expect(model.loss).toBeCloseTo(fit.loss, 3);
    expect(maxAbsDiff(model.coef, fit.coef)).toBeLessThan(2e-3);
    expect(maxAbsDiff(model.intercept, fit.intercept)).toBeLessThan(2e-3);
  });

  it("defaults to scikit-learn's LogisticRegression() and accepts a tensor; no tensors leak", async () => {
    const x = tf.tensor2d(X, [fixture.n, fixture.d]);
    const before = tf.memory().numTensors;
    const model = await fitLogisticRegression(x, fixture.y);
    expect(tf.memory().numTensors).toBe(before);
    expect(model.iterations).toBeLessThanOrEqual(100);
    const pred = predictLogisticRegression(model, x);
    const acc = pred.reduce((s, p, i) => s + (p === fixture.y[i] ? 1 : 0), 0) / fixture.n;
    expect(acc).toBeCloseTo(fixture.fits[0].accuracy, 5);
    x.dispose();
  });

  it('adam minimizes the same objective', async () => {
    const model = await fitLogisticRegression(X, fixture.y, { solver: 'adam', maxIter: 400, learningRate: 0.05 });
    expect(model.loss).toBeLessThan(fixture.fits[0].loss * 1.01);
  });

  it('wraps ml-logistic-regression, keeping its predictions in the logits', async () => {
    const model = await fitLogisticRegression(X, fixture.y, {
      solver: 'ml-logistic-regression',
      maxIter: 300,
      learningRate: 1e-3,
    });
    // Independent check: retrain the library itself and compare its predict() with our logits' arg-max.
    const { default: MlLogisticRegression } = await import('ml-logistic-regression');
    const { Matrix } = await import('ml-matrix');
    const rows = Array.from({ length: fixture.n }, (_, i) => [
      ...Array.from(X.subarray(i * fixture.d, (i + 1) * fixture.d)),
      1,
    ]);
    const ml = new MlLogisticRegression({ numSteps: 300, learningRate: 1e-3 });
    ml.train(new Matrix(rows), Matrix.columnVector(fixture.y));
    const expected = ml.predict(new Matrix(rows));
    const ours = logitsByHand(model, X, fixture.n).map((z) => z.indexOf(Math.max(...z)));
    expect(ours).toEqual(expected);
  });

  it('rejects bad input with a message naming the problem', async () => {
    await expect(fitLogisticRegression(new Float32Array(5), [0, 1])).rejects.toThrow(/multiple of 2/);
    await expect(fitLogisticRegression(new Float32Array(4), [0, -1])).rejects.toThrow(/class indices/);
    await expect(fitLogisticRegression(new Float32Array(4), [0, 1], { C: 0 })).rejects.toThrow(/C must be > 0/);
  });
});

describe('logistic regression as a layer', () => {
  const head: LogisticRegressionModel = {
    coef: Float32Array.from({ length: 3 * 12 }, (_, i) => Math.sin(i + 1)),
    intercept: Float32Array.from([0.1, -0.2, 0.3]),
    numClasses: 3,
    numFeatures: 12,
    solver: 'lbfgs',
    iterations: 0,
    loss: 0,
    converged: true,
  };

  it('becomes a 2x2 valid conv + flatten on [N, 2, 2, 3] features (NHWC flattening)', () => {
    const input = tf.input({ shape: [2, 2, 3] });
    const backbone = tf.model({ inputs: input, outputs: tf.layers.reLU().apply(input) as tf.SymbolicTensor });
    const net = appendLogisticRegression(backbone, head);
    expect(net.layers.map((l) => l.getClassName())).toEqual(['InputLayer', 'ReLU', 'Conv2D', 'Flatten']);
    const values = Float32Array.from({ length: 4 * 12 }, (_, i) => Math.abs(Math.cos(3 * i)));
    const x = tf.tensor4d(values, [4, 2, 2, 3]);
    const out = net.predict(x) as tf.Tensor;
    expect(out.shape).toEqual([4, 3]);
    const expected = logitsByHand(head, values, 4).flat();
    expect(maxAbsDiff(out.dataSync(), expected)).toBeLessThan(1e-5);
    tf.dispose([x, out]);
    net.dispose();
  });

  it('becomes a Dense layer on [N, d] features', () => {
    const input = tf.input({ shape: [12] });
    const net = tf.model({ inputs: input, outputs: applyLogisticRegression(input, head) });
    expect(net.layers.map((l) => l.getClassName())).toEqual(['InputLayer', 'Dense']);
    expect(net.getWeights().map((w) => w.shape)).toEqual([[12, 3], [3]]);
    const values = Float32Array.from({ length: 2 * 12 }, (_, i) => i / 10 - 1);
    const x = tf.tensor2d(values, [2, 12]);
    const out = net.predict(x) as tf.Tensor;
    expect(maxAbsDiff(out.dataSync(), logitsByHand(head, values, 2).flat())).toBeLessThan(1e-5);
    tf.dispose([x, out]);
    net.dispose();
  });

  it('refuses a head fitted on another feature size', () => {
    expect(() => applyLogisticRegression(tf.input({ shape: [8, 8, 256] }), head)).toThrow(/12 features/);
  });
});
