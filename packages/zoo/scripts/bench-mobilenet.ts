/**
 * lrpjs side of the MobileNetV2 speed comparison: 8 images of 224×224, EpsilonPlus, wasm, one thread
 * count for both sides. Median of `--reps` timed calls after a warm-up (which builds the caches).
 * Compare with scripts/zennit_mobilenet.py run right after, on the same machine.
 */
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { createComposite, explain } from '@lrpjs/lrp';
import { loadNsfwjs } from '../src/nsfwjs';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

(async () => {
  const threads = arg('threads', 2);
  setThreadsCount(threads);
  await tf.setBackend('wasm');
  const model = await loadNsfwjs('MobileNetV2');
  const x = tf.randomUniform([arg('batch', 8), 224, 224, 3], 0, 1, 'float32', 1);
  const composite = createComposite('epsilon-plus');
  const once = () => {
    const t0 = performance.now();
    const r = explain(model, x, { target: 'predicted', composite });
    r.relevance.dataSync();
    tf.dispose([r.relevance, r.output]);
    return (performance.now() - t0) / 1000;
  };
  const warm = once();
  const times = Array.from({ length: arg('reps', 3) }, once).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(JSON.stringify({ side: 'lrpjs', backend: 'wasm', threads, batch: x.shape[0], warm, times, median }));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
