/**
 * Logistic-regression solvers on saved features (train/test .f32 + .i32 written by
 * transfer-vgg.ts or transfer-face.ts): tfjs L-BFGS / Adam, ml-logistic-regression and
 * scikit-learn's LogisticRegression() on the very same numbers; accuracy and seconds.
 *
 *   node --conditions=source --import tsx scripts/transfer-logreg-bench.ts --dir /tmp/lrpjs-transfer-vgg
 *        [--backend wasm] [--solvers lbfgs,adam,ml] [--ml-steps 100] [--ml-lr 5e-4] [--C 1] [--no-sklearn]
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendName } from '../src/backend/select';
import { fitLogisticRegression, predictLogisticRegression, type LogisticRegressionOptions } from '../src/transfer';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const dir = arg('dir', '/tmp/lrpjs-transfer-vgg');
const C = Number(arg('C', '1'));
const solvers = arg('solvers', 'lbfgs,adam,ml').split(',');
const readF32 = (f: string) => {
  const b = fs.readFileSync(path.join(dir, f));
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4).slice();
};
const readI32 = (f: string) => {
  const b = fs.readFileSync(path.join(dir, f));
  return new Int32Array(b.buffer, b.byteOffset, b.byteLength / 4).slice();
};
const accuracy = (pred: ArrayLike<number>, y: ArrayLike<number>) => {
  let ok = 0;
  for (let i = 0; i < y.length; i++) ok += pred[i] === y[i] ? 1 : 0;
  return ok / y.length;
};

async function main() {
  const backend = await selectBackend({ backend: arg('backend', 'wasm') as BackendName });
  const yTrain = readI32('train.i32');
  const yTest = readI32('test.i32');
  const fTrain = readF32('train.f32');
  const fTest = readF32('test.f32');
  const d = fTrain.length / yTrain.length;
  console.log(`${dir}: train ${yTrain.length}x${d}, test ${yTest.length}; backend ${backend}; C=${C}`);
  const xTrain = tf.tensor2d(fTrain, [yTrain.length, d]);
  const xTest = tf.tensor2d(fTest, [yTest.length, d]);
  const results: Record<string, unknown> = {};
  const runs: [string, LogisticRegressionOptions][] = [];
  if (solvers.includes('lbfgs')) runs.push(['tfjs lbfgs', { C }]);
  if (solvers.includes('adam')) runs.push(['tfjs adam (500 steps)', { C, solver: 'adam' }]);
  if (solvers.includes('ml')) {
    const steps = Number(arg('ml-steps', '100'));
    runs.push([
      `ml-logistic-regression (${steps} steps)`,
      { solver: 'ml-logistic-regression', maxIter: steps, learningRate: Number(arg('ml-lr', '5e-4')) },
    ]);
  }
  for (const [name, opts] of runs) {
    const t0 = performance.now();
    const head = await fitLogisticRegression(xTrain, yTrain, opts);
    const r = {
      seconds: (performance.now() - t0) / 1000,
      iterations: head.iterations,
      loss: head.loss,
      train: accuracy(predictLogisticRegression(head, xTrain), yTrain),
      test: accuracy(predictLogisticRegression(head, xTest), yTest),
    };
    results[name] = r;
    console.log(name, JSON.stringify(r));
  }
  if (!args.includes('--no-sklearn')) {
    const py = `
import numpy as np, time, json, sys
from sklearn.linear_model import LogisticRegression
o, C = sys.argv[1], float(sys.argv[2])
ytr = np.fromfile(o + '/train.i32', np.int32); yte = np.fromfile(o + '/test.i32', np.int32)
Xtr = np.fromfile(o + '/train.f32', np.float32).reshape(len(ytr), -1); Xte = np.fromfile(o + '/test.f32', np.float32).reshape(len(yte), -1)
t = time.time(); lr = LogisticRegression(C=C).fit(Xtr, ytr); s = time.time() - t
z = Xtr.astype(np.float64) @ lr.coef_.T + lr.intercept_
m = z.max(1, keepdims=True); lse = np.log(np.exp(z - m).sum(1)) + m[:, 0]
loss = float((lse - z[np.arange(len(ytr)), ytr]).sum() + 0.5 / C * (lr.coef_ ** 2).sum())
print(json.dumps(dict(seconds=s, iterations=int(lr.n_iter_[0]), loss=loss, train=lr.score(Xtr, ytr), test=lr.score(Xte, yte))))
`;
    const out = execFileSync('/usr/bin/python3', ['-c', py, dir, String(C)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    results['scikit-learn LogisticRegression()'] = JSON.parse(out.trim().split('\n').pop() ?? '{}');
    console.log('scikit-learn', JSON.stringify(results['scikit-learn LogisticRegression()']));
  }
  tf.dispose([xTrain, xTest]);
  fs.writeFileSync(path.join(dir, `logreg-bench-${backend}.json`), JSON.stringify(results, null, 1));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
