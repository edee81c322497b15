/**
 * net3 with the VGG-17 feature extractor on the real LFW subset (64x64, tutorial split): feature
 * extraction time on wasm, logistic regression (tfjs L-BFGS, ml-logistic-regression, optionally
 * scikit-learn on the same features), and the converted net3's accuracy end to end.
 * Weights: random (torchvision init, as the PyTorch timing reference) unless --vgg16-weights PATH.
 *
 *   node --conditions=source --import tsx scripts/transfer-vgg.ts [--data-home /work/shared/data]
 *        [--vgg16-weights PATH] [--sklearn] [--ml-steps 5] [--out /tmp/lrpjs-transfer-vgg]
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadLfwPeople, normalizeTutorial, splitTutorial, TUTORIAL_LFW_OPTIONS } from '@lrpjs/data';
import { selectBackend } from '../src/backend/select';
import {
  buildNet3,
  buildVgg16Features,
  extractFeatures,
  fitLogisticRegression,
  fitTransferHead,
  predictLogisticRegression,
} from '../src/transfer';
import { loadVgg16Weights } from '../src/node';
import { accuracy, arg, args, cpuSeconds, seconds } from './script-util';

const dataHome = arg('data-home', '/work/shared/data');
const weightsPath = arg('vgg16-weights', '');
const mlSteps = Number(arg('ml-steps', '5'));
const outDir = arg('out', '/tmp/lrpjs-transfer-vgg');

async function main() {
  const backend = await selectBackend({ backend: 'wasm' });
  const report: Record<string, unknown> = { backend, weights: weightsPath || 'random (torchvision init, seed 0)' };
  let t0 = performance.now();
  const ds = await loadLfwPeople({ ...TUTORIAL_LFW_OPTIONS, variant: 'deepfunneled', dataHome });
  const { train, test } = splitTutorial(ds);
  console.log(`loaded ${ds.shape} in ${seconds(t0)} s`);

  const features = buildVgg16Features({
    inputSize: 64,
    weights: weightsPath ? await loadVgg16Weights(weightsPath) : null,
  });
  // Warm-up (kernel compilation, memory) outside the timing, as PyTorch's first call is too.
  const warm = await extractFeatures(features, {
    values: normalizeTutorial(train.images.subarray(0, 2 * 64 * 64 * 3)),
    shape: [2, 64, 64, 3],
  });
  warm.dispose();
  // Features of both sets, the default head (scikit-learn's LogisticRegression()) and net3, in one call.
  const labelled = (set: typeof train) => ({
    values: normalizeTutorial(set.images),
    shape: set.shape,
    targets: set.targets,
  });
  t0 = performance.now();
  const c0 = process.cpuUsage();
  const fitted = await fitTransferHead(
    features,
    { train: labelled(train), test: labelled(test) },
    { keepFeatures: true, build: (head) => buildNet3({ features, head }) },
  );
  const fTrain = fitted.features!.train;
  const fTest = fitted.features!.test!;
  const head = fitted.head;
  report.features_s = fitted.seconds.features;
  report.fit_cpu_s = cpuSeconds(c0);
  console.log(
    `VGG-17 features for ${train.shape[0] + test.shape[0]} images on ${backend}: ${report.features_s} s wall (PyTorch, train only: 13.0 s)`,
  );
  report.lbfgs = {
    seconds: fitted.seconds.head,
    iterations: head.iterations,
    loss: head.loss,
    train: fitted.evaluation.train.accuracy,
    test: fitted.evaluation.test?.accuracy,
  };
  console.log('tfjs lbfgs', JSON.stringify(report.lbfgs));

  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'train.f32'), Buffer.from(fTrain.dataSync().buffer));
  fs.writeFileSync(path.join(outDir, 'test.f32'), Buffer.from(fTest.dataSync().buffer));
  fs.writeFileSync(path.join(outDir, 'train.i32'), Buffer.from(train.targets.buffer));
  fs.writeFileSync(path.join(outDir, 'test.i32'), Buffer.from(test.targets.buffer));

  if (mlSteps > 0) {
    t0 = performance.now();
    const ml = await fitLogisticRegression(fTrain, train.targets, {
      solver: 'ml-logistic-regression',
      maxIter: mlSteps,
    });
    const s = seconds(t0);
    report.ml = {
      steps: mlSteps,
      seconds: s,
      secondsPerStep: s / mlSteps,
      train: accuracy(predictLogisticRegression(ml, fTrain), train.targets),
      test: accuracy(predictLogisticRegression(ml, fTest), test.targets),
    };
    console.log('ml-logistic-regression', JSON.stringify(report.ml));
  }

  if (args.includes('--sklearn')) {
    const py = `
import numpy as np, time, json, sys
from sklearn.linear_model import LogisticRegression
o = sys.argv[1]
Xtr = np.fromfile(o + '/train.f32', np.float32).reshape(934, -1); ytr = np.fromfile(o + '/train.i32', np.int32)
Xte = np.fromfile(o + '/test.f32', np.float32).reshape(933, -1); yte = np.fromfile(o + '/test.i32', np.int32)
t = time.time(); lr = LogisticRegression().fit(Xtr, ytr); s = time.time() - t
print(json.dumps(dict(seconds=s, iterations=int(lr.n_iter_[0]), train=lr.score(Xtr, ytr), test=lr.score(Xte, yte))))
`;
    const out = execFileSync('/usr/bin/python3', ['-c', py, outDir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    report.sklearn = JSON.parse(out.trim().split('\n').pop() ?? '{}');
    console.log('sklearn', JSON.stringify(report.sklearn));
  }

  // net3 = features + top 8x8 conv, end to end on the test images.
  const net3 = fitted.model;
  t0 = performance.now();
  const logits = await extractFeatures(
    net3,
    { values: normalizeTutorial(test.images), shape: test.shape },
    { batchSize: 32 },
  );
  const pred = tf.tidy(() => tf.argMax(logits, 1));
  const viaHead = predictLogisticRegression(head, fTest);
  report.net3 = {
    test: accuracy(pred.dataSync(), test.targets),
    seconds: seconds(t0),
    sameAsHead: Array.from(pred.dataSync()).every((p, i) => p === viaHead[i]),
  };
  console.log('net3 end to end', JSON.stringify(report.net3));
  tf.dispose([fTrain, fTest, logits, pred]);
  fs.writeFileSync(path.join(outDir, 'report.json'), JSON.stringify(report, null, 1));
  console.log(JSON.stringify(report, null, 1));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
