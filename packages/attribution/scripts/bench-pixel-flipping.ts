/**
 * Pixel-flipping throughput on net1's architecture (64×64×3, 19 classes): N images × (steps + 1) × 2 orders
 * forward passes, regions of 4×4, mean replacement, 256 rows per pass. Prints perturbed images per second.
 * Same protocol as scripts/bench_pixel_flipping.py (PyTorch), for a ratio on one machine.
 *
 *   node --conditions=source --import tsx scripts/bench-pixel-flipping.ts [images=64] [steps=100]
 */
import * as tf from '@tensorflow/tfjs';
import { buildNet1, selectBackend } from '@lrpjs/models';
import { pixelFlipping } from '../src';

async function main() {
  const images = Number(process.argv[2] ?? 64);
  const steps = Number(process.argv[3] ?? 100);
  const backend = await selectBackend({ backend: 'auto' });
  const model = buildNet1({ numClasses: 19, seed: 0 });
  const x = tf.randomNormal([images, 64, 64, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const heat = tf.randomUniform([images, 64, 64], 0, 1, 'float32', 2);
  const target = Array.from({ length: images }, (_, i) => i % 19);
  // warm-up: kernels compiled, buffers allocated
  pixelFlipping(model, tf.slice(x, 0, 2), tf.slice(heat, 0, 2), { target: target.slice(0, 2), steps: 2 });
  const t0 = performance.now();
  pixelFlipping(model, x, heat, { target, steps, patch: 4, replacement: 'mean', batchSize: 256 });
  const s = (performance.now() - t0) / 1000;
  const rows = images * (steps + 1) * 2;
  console.log(
    JSON.stringify({
      backend,
      images,
      steps,
      seconds: Number(s.toFixed(2)),
      imageStepsPerSecond: Math.round(rows / s),
    }),
  );
}

main();
