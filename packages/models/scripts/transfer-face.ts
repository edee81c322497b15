/**
 * net4 on the real LFW subset: face descriptors for all crops on wasm (batched), a logistic-regression
 * head on the tutorial split, accuracies, and timings against face-api's own one-by-one descriptors
 * and scikit-learn. Not a test (minutes of CPU). Run from packages/models:
 *
 *   node --conditions=source --import tsx scripts/transfer-face.ts [--data-home /work/shared/data]
 *        [--face-api-sample 200] [--sklearn] [--out /tmp/lrpjs-transfer-face]
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadLfwPeople, normalizeTutorial, splitTutorial, TUTORIAL_LFW_OPTIONS } from '@lrpjs/data';
import { selectBackend } from '../src/backend/select';
import {
  buildFaceBackbone,
  buildNet4,
  extractFeatures,
  fitLogisticRegression,
  fitTransferHead,
  predictLogisticRegression,
  type LogisticRegressionOptions,
} from '../src/transfer';
import { readFaceApiWeights } from '../src/node';
import { accuracy, arg, args, cpuSeconds, seconds } from './script-util';

const dataHome = arg('data-home', '/work/shared/data');
const faceApiSample = Number(arg('face-api-sample', '200'));
const outDir = arg('out', '/tmp/lrpjs-transfer-face');

async function main() {
  const backend = await selectBackend({ backend: 'wasm' });
  const report: Record<string, unknown> = {
    backend,
    threads: tf.env().getNumber('WASM_HAS_MULTITHREAD_SUPPORT') ? 'multi' : 'single',
  };
  let t0 = performance.now();
  const ds = await loadLfwPeople({
    ...TUTORIAL_LFW_OPTIONS,
    variant: 'deepfunneled',
    dataHome,
    resize: { height: 150, width: 150 },
  });
  report.load_s = seconds(t0);
  report.images = ds.shape;
  const { train, test } = splitTutorial(ds);
  console.log(
    `loaded ${ds.shape} in ${report.load_s} s; train ${train.shape[0]}, test ${test.shape[0]}, ${ds.targetNames.length} people`,
  );

  t0 = performance.now();
  const backbone = buildFaceBackbone({ weights: readFaceApiWeights() });
  report.build_s = seconds(t0);

  // Descriptors of all 1867 crops (batched), the default head (lbfgs C=1) and net4, in one call.
  const labelled = (set: typeof train) => ({
    values: normalizeTutorial(set.images),
    shape: set.shape,
    targets: set.targets,
  });
  t0 = performance.now();
  const c0 = process.cpuUsage();
  const fitted = await fitTransferHead(
    backbone,
    { train: labelled(train), test: labelled(test) },
    { keepFeatures: true, build: (head) => buildNet4({ backbone, head }) },
  );
  report.descriptors_all_s = fitted.seconds.features;
  report.fit_all_cpu_s = cpuSeconds(c0);
  console.log(
    `descriptors for ${ds.shape[0]} crops on ${backend}: ${report.descriptors_all_s} s wall (face-api one by one, reported: 61 s)`,
  );
  const xTrain = fitted.features!.train;
  const xTest = fitted.features!.test!;
  const defaultHead = fitted.head;
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'train.f32'), Buffer.from((xTrain.dataSync() as Float32Array).buffer));
  fs.writeFileSync(path.join(outDir, 'test.f32'), Buffer.from((xTest.dataSync() as Float32Array).buffer));
  fs.writeFileSync(path.join(outDir, 'train.i32'), Buffer.from(train.targets.buffer));
  fs.writeFileSync(path.join(outDir, 'test.i32'), Buffer.from(test.targets.buffer));

  const heads: Record<string, unknown> = {};
  heads['lbfgs C=1'] = {
    seconds: fitted.seconds.head,
    iterations: defaultHead.iterations,
    converged: defaultHead.converged,
    train: fitted.evaluation.train.accuracy,
    test: fitted.evaluation.test?.accuracy,
  };
  const runs: [string, LogisticRegressionOptions][] = [
    ['lbfgs C=10', { C: 10 }],
    ['adam C=1 (500 steps)', { solver: 'adam' }],
    ['ml-logistic-regression (100 steps)', { solver: 'ml-logistic-regression', maxIter: 100 }],
    [
      'ml-logistic-regression (2000 steps, lr 5e-3)',
      { solver: 'ml-logistic-regression', maxIter: 2000, learningRate: 5e-3 },
    ],
  ];
  for (const [name, opts] of runs) {
    t0 = performance.now();
    const head = await fitLogisticRegression(xTrain, train.targets, opts);
    const s = seconds(t0);
    const r = {
      seconds: s,
      iterations: head.iterations,
      converged: head.converged,
      train: accuracy(predictLogisticRegression(head, xTrain), train.targets),
      test: accuracy(predictLogisticRegression(head, xTest), test.targets),
    };
    heads[name] = r;
    console.log(name, JSON.stringify(r));
  }
  report.heads = heads;

  if (args.includes('--sklearn')) {
    const py = `
import numpy as np, time, json, sys
from sklearn.linear_model import LogisticRegression
o = sys.argv[1]
Xtr = np.fromfile(o + '/train.f32', np.float32).reshape(-1, 128); ytr = np.fromfile(o + '/train.i32', np.int32)
Xte = np.fromfile(o + '/test.f32', np.float32).reshape(-1, 128); yte = np.fromfile(o + '/test.i32', np.int32)
res = {}
for C in (1.0, 10.0):
    t = time.time(); lr = LogisticRegression(C=C).fit(Xtr, ytr); s = time.time() - t
    res['sklearn C=%g' % C] = dict(seconds=s, iterations=int(lr.n_iter_[0]), train=lr.score(Xtr, ytr), test=lr.score(Xte, yte))
print(json.dumps(res))
`;
    const out = execFileSync('/usr/bin/python3', ['-c', py, outDir], { encoding: 'utf8' });
    report.sklearn = JSON.parse(out.trim().split('\n').pop() ?? '{}');
    console.log('sklearn', JSON.stringify(report.sklearn));
  }

  // net4 end to end: backbone + Dense head in one model, on the test crops.
  {
    const net4 = fitted.model;
    t0 = performance.now();
    const xTestImages = normalizeTutorial(test.images);
    const logits = await extractFeatures(net4, { values: xTestImages, shape: test.shape }, { batchSize: 32 });
    const pred = tf.tidy(() => tf.argMax(logits, 1));
    report.net4 = {
      test: accuracy(pred.dataSync(), test.targets),
      seconds: seconds(t0),
      sameAsHead: Array.from(pred.dataSync()).every((p, i) => p === predictLogisticRegression(defaultHead, xTest)[i]),
    };
    tf.dispose([logits, pred]);
    console.log('net4 end to end', JSON.stringify(report.net4));
  }
  // The tutorial split puts even dataset indices in train, odd ones in test.
  const dTrain = xTrain.dataSync();
  const dTest = xTest.dataSync();
  const ours = (i: number, j: number) => (i % 2 === 0 ? dTrain[(i / 2) * 128 + j] : dTest[((i - 1) / 2) * 128 + j]);
  const n = ds.shape[0];
  tf.dispose([xTrain, xTest]);

  // face-api's own computeFaceDescriptor, one image at a time (as the 61 s reference), on a sample.
  if (faceApiSample > 0) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- face-api's Node wasm build is CommonJS only
    const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
    await faceapi.nets.faceRecognitionNet.loadFromDisk(
      path.dirname(require.resolve('@vladmandic/face-api/model/face_recognition_model.bin')),
    );
    const m = Math.min(faceApiSample, n);
    const [, h, w, c] = ds.shape;
    t0 = performance.now();
    const c1 = process.cpuUsage();
    let maxDiff = 0;
    for (let i = 0; i < m; i++) {
      const img = tf.tidy(() =>
        tf.mul(tf.tensor3d(ds.images.subarray(i * h * w * c, (i + 1) * h * w * c), [h, w, c]), 255),
      );
      const desc = (await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(img)) as Float32Array;
      img.dispose();
      for (let j = 0; j < 128; j++) maxDiff = Math.max(maxDiff, Math.abs(desc[j] - ours(i, j)));
    }
    const s = seconds(t0);
    const cpu = cpuSeconds(c1);
    report.faceApi = {
      images: m,
      seconds: s,
      cpuSeconds: cpu,
      extrapolatedAll_s: (s * n) / m,
      extrapolatedAll_cpu_s: (cpu * n) / m,
      maxAbsDiffToOurs: maxDiff,
    };
    console.log('face-api one by one', JSON.stringify(report.faceApi));
  }
  fs.writeFileSync(path.join(outDir, 'report.json'), JSON.stringify(report, null, 1));
  console.log(JSON.stringify(report, null, 1));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
