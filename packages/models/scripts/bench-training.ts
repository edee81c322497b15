/**
 * Benchmark of one training step (net1, batch 25, 64×64×3, the tutorial's SGD) and of a full-set
 * evaluation, with a per-kernel profile. Not a test. Run from packages/models:
 *
 *   node --conditions=source --import tsx scripts/bench-training.ts [--backend wasm] [--threads 2]
 *        [--steps 30] [--net net1] [--stock]   (--stock: tfjs-backend-wasm's own slow kernels)
 *
 * Prints wall and process-CPU milliseconds per step (CPU time is the steadier figure on a shared
 * machine when threads = 1) and the kernels that dominate a step.
 */
import * as tf from '@tensorflow/tfjs';
import { BackendName, backendInfo, buildNet1, buildNet2, evaluate, selectBackend } from '../src';
import { arg } from './script-util';

async function main(): Promise<void> {
  const threads = arg('threads', '') === '' ? undefined : Number(arg('threads', ''));
  await selectBackend({
    backend: arg('backend', 'wasm') as BackendName,
    threads,
    replaceSlowKernels: !process.argv.includes('--stock'),
  });
  console.log('backend', JSON.stringify(backendInfo()));
  const steps = Number(arg('steps', '30'));
  const numClasses = 19;
  const model = (arg('net', 'net1') === 'net2' ? buildNet2 : buildNet1)({ numClasses, seed: 1 });
  const optimizer = tf.train.momentum(0.005, 0.9);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const nTrain = 934;
  const xAll = new Float32Array(nTrain * 64 * 64 * 3).map(() => Math.random() * 3 - 1.5);
  const labels = Int32Array.from({ length: nTrain }, (_, i) => i % numClasses);
  const batch = new Float32Array(25 * 64 * 64 * 3);
  const oneHot = new Float32Array(25 * numClasses);
  const step = (): void => {
    oneHot.fill(0);
    for (let b = 0; b < 25; b++) {
      const k = Math.floor(Math.random() * nTrain);
      batch.set(xAll.subarray(k * 12288, (k + 1) * 12288), b * 12288);
      oneHot[b * numClasses + labels[k]] = 1;
    }
    const cost = tf.tidy(() => {
      const xb = tf.tensor4d(batch, [25, 64, 64, 3]);
      const yb = tf.tensor2d(oneHot, [25, numClasses]);
      return optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(yb, model.apply(xb, { training: true }) as tf.Tensor) as tf.Scalar,
        true,
        vars,
      )!;
    });
    cost.dataSync();
    cost.dispose();
  };
  for (let i = 0; i < 3; i++) step();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - t0) / steps;
  console.log(
    `step: wall ${wall.toFixed(1)} ms, process CPU ${((cpu.user + cpu.system) / 1000 / steps).toFixed(1)} ms (threads ${backendInfo()?.threads ?? 1})`,
  );

  const profile = await tf.profile(() => step());
  const byKernel = new Map<string, number>();
  let total = 0;
  for (const k of profile.kernels) {
    if (k.name.endsWith('__op')) continue; // op wrappers double-count their kernels
    const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
    byKernel.set(key, (byKernel.get(key) ?? 0) + (k.kernelTimeMs as number));
    total += k.kernelTimeMs as number;
  }
  console.log(`profile of one step: ${total.toFixed(1)} ms in kernels`);
  for (const [key, ms] of [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 15))
    console.log(`${ms.toFixed(2).padStart(8)} ms  ${key}`);

  const xEval = tf.tensor4d(xAll, [nTrain, 64, 64, 3]);
  for (const bs of [50, 100, 200]) {
    const te = performance.now();
    evaluate(model, xEval, labels, numClasses, { batchSize: bs });
    console.log(`evaluation of ${nTrain} images, batch ${bs}: ${(performance.now() - te).toFixed(0)} ms`);
  }
  xEval.dispose();
  optimizer.dispose();
  model.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
