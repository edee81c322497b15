/**
 * LRP benchmark: 8 heatmaps (8 images, 64×64×3) with the tutorial composite, on
 *  - net1's shape: conv5×5 10/25/100 + ReLU + maxpool2 ×3, then an 8×8 conv to 19 classes;
 *  - the VGG-16 first-17-layers shape (conv3×3 64,64,pool,128,128,pool,256,256,256,pool) + 8×8 conv 256→19.
 * Weights are random (He init): timing does not depend on their values.
 *
 *   node --conditions=source --import tsx scripts/bench-lrp.ts [--backend wasm] [--runs 15] [--profile]
 *
 * Prints the median of the timed runs after warm-up, and the ratio to the tutorial's PyTorch LRP measured
 * on the same kind of machine (shared/reference/README.md: 0.031 s net1, 0.40 s net3).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { explain, tutorialComposite } from '../src';

const PYTORCH_SECONDS = { net1: 0.031, vgg: 0.4 };

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function heConv(filters: number, kernelSize: number, padding: 'same' | 'valid', inputShape?: number[]) {
  return tf.layers.conv2d({
    filters,
    kernelSize,
    padding,
    activation: 'linear',
    kernelInitializer: tf.initializers.heNormal({ seed: filters * 31 + kernelSize }),
    biasInitializer: tf.initializers.randomNormal({ stddev: 0.05, seed: filters }),
    ...(inputShape ? { inputShape } : {}),
  });
}

function net1(): tf.LayersModel {
  const layers: tf.layers.Layer[] = [];
  [10, 25, 100].forEach((f, i) => {
    layers.push(
      heConv(f, 5, 'same', i === 0 ? [64, 64, 3] : undefined),
      tf.layers.reLU(),
      tf.layers.maxPooling2d({ poolSize: 2 }),
    );
  });
  layers.push(heConv(19, 8, 'valid'), tf.layers.flatten());
  return tf.sequential({ layers });
}

function vggShape(): tf.LayersModel {
  const layers: tf.layers.Layer[] = [];
  const blocks = [
    [64, 64],
    [128, 128],
    [256, 256, 256],
  ];
  blocks.forEach((block, b) => {
    block.forEach((f, i) =>
      layers.push(heConv(f, 3, 'same', b === 0 && i === 0 ? [64, 64, 3] : undefined), tf.layers.reLU()),
    );
    layers.push(tf.layers.maxPooling2d({ poolSize: 2 }));
  });
  layers.push(heConv(19, 8, 'valid'), tf.layers.flatten());
  return tf.sequential({ layers });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function bench(name: keyof typeof PYTORCH_SECONDS, model: tf.LayersModel, runs: number, profile: boolean) {
  const x = tf.randomUniform([8, 64, 64, 3], -1.5, 1.5, 'float32', 7) as tf.Tensor4D;
  const target = [0, 3, 5, 7, 9, 11, 13, 18];
  const composite = tutorialComposite();
  const once = () => {
    const r = explain(model, x, { target, composite });
    r.relevance.dataSync(); // include the time to finish the work
    r.relevance.dispose();
    r.output.dispose();
  };
  for (let i = 0; i < 3; i++) once();
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    once();
    times.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
  }
  const med = median(times);
  const ref = PYTORCH_SECONDS[name];
  // Single-threaded wasm: CPU time ≈ the wall time an idle machine would show (other processes on a
  // shared machine stretch the wall time, not this process's CPU time).
  console.log(
    `${name}: wall median ${med.toFixed(4)} s, min ${Math.min(...times).toFixed(4)} s over ${runs} runs; ` +
      `CPU median ${median(cpu).toFixed(4)} s, min ${Math.min(...cpu).toFixed(4)} s. ` +
      `PyTorch ${ref} s → ratio ${(med / ref).toFixed(2)}× (wall median), ${(Math.min(...times) / ref).toFixed(2)}× (wall min)`,
  );
  if (profile) {
    const info = await tf.profile(once);
    const byKernel = new Map<string, { ms: number; count: number }>();
    for (const k of info.kernels) {
      const ms = Number(await (k as unknown as { kernelTimeMs: number | Promise<number> }).kernelTimeMs) || 0;
      const e = byKernel.get(k.name) ?? { ms: 0, count: 0 };
      e.ms += ms;
      e.count++;
      byKernel.set(k.name, e);
    }
    const rows = [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms);
    for (const [k, e] of rows) console.log(`   ${k.padEnd(22)} ${e.ms.toFixed(2).padStart(8)} ms  ×${e.count}`);
  }
  x.dispose();
}

async function main() {
  const backend = arg('backend', 'wasm');
  await tf.setBackend(backend);
  await tf.ready();
  const runs = Number(arg('runs', '15'));
  const profile = process.argv.includes('--profile');
  const only = arg('net', 'all');
  console.log(`backend ${tf.getBackend()}, tfjs ${tf.version.tfjs}, node ${process.version}`);
  if (only === 'all' || only === 'net1') await bench('net1', net1(), runs, profile);
  if (only === 'all' || only === 'vgg') await bench('vgg', vggShape(), Math.max(5, Math.round(runs / 2)), profile);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
