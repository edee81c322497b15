/**
 * Times the candidate routes of LRP's backward steps on one backend, to pick the fastest per backend
 * (src/ops/strategy.ts records the choice):
 *  - the transposed conv: tf.conv2dTranspose vs a forward conv2d with the flipped kernel;
 *  - max pooling: the MaxPoolGrad kernel vs maxPoolWithArgmax + scatterND vs the elementwise mask.
 *
 *   node --conditions=source --import tsx scripts/bench-ops.ts [--backend wasm]
 *
 * Prints process CPU time per call (min and median of 30): on a shared machine it is steadier than the
 * wall time for single-threaded backends.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

function time(name: string, f: () => tf.Tensor | tf.Tensor[], reps = 30): void {
  const run = () =>
    tf.tidy(() => {
      const r = f();
      (Array.isArray(r) ? r : [r]).forEach((t) => t.dataSync());
    });
  for (let i = 0; i < 3; i++) run();
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    run();
    const c = process.cpuUsage(c0);
    ms.push((c.user + c.system) / 1000);
  }
  ms.sort((a, b) => a - b);
  console.log(
    `  ${name.padEnd(36)} min ${ms[0].toFixed(2).padStart(8)} ms   median ${ms[ms.length >> 1].toFixed(2).padStart(8)} ms`,
  );
}

function upsample(t: tf.Tensor, n: number, h: number, c: number): tf.Tensor {
  return tf.reshape(tf.mul(tf.reshape(t, [n, h / 2, 1, h / 2, 1, c]), tf.ones([1, 1, 2, 1, 2, 1])), [n, h, h, c]);
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--backend');
  await tf.setBackend(i >= 0 ? process.argv[i + 1] : 'wasm');
  await tf.ready();
  console.log(`backend ${tf.getBackend()}`);
  // The plain-JS cpu backend would take minutes on the VGG-sized cases: it gets the small ones only.
  const small = tf.getBackend() === 'cpu';
  for (const [n, h, ci, co, k] of [[8, 64, 10, 3, 5], [8, 16, 100, 25, 5], ...(small ? [] : [[8, 64, 64, 64, 3]])]) {
    console.log(`transposed conv: s ${[n, h, h, ci]} → ${[n, h, h, co]}, ${k}×${k}`);
    const s = tf.randomNormal([n, h, h, ci]) as tf.Tensor4D;
    const w = tf.randomNormal([k, k, co, ci]) as tf.Tensor4D; // forward kernel HWIO of a co → ci conv
    const flipped = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
    const reps = small ? 5 : 30;
    time('conv2dTranspose', () => tf.conv2dTranspose(s, w, [n, h, h, co], 1, 'same'), reps);
    time('conv2d, flipped kernel', () => tf.conv2d(s, flipped, 1, 'same'), reps);
    tf.dispose([s, w, flipped]);
  }
  for (const [n, h, c] of [[8, 64, 10], ...(small ? [] : [[8, 64, 64]])]) {
    console.log(`max pooling 2×2 backward: ${[n, h, h, c]}`);
    const x = tf.relu(tf.randomNormal([n, h, h, c])) as tf.Tensor4D;
    const m = tf.maxPool(x, 2, 2, 'valid');
    const s = tf.randomNormal(m.shape);
    time(
      'MaxPoolGrad kernel',
      () =>
        tf
          .engine()
          .runKernel(
            'MaxPoolGrad',
            { dy: s, input: x, output: m },
            { filterSize: 2, strides: 2, pad: 'valid' },
          ) as tf.Tensor,
    );
    time('maxPoolWithArgmax + scatterND', () => {
      const idx = tf.maxPoolWithArgmax(x, 2, 2, 'valid', true).indexes;
      return tf.scatterND(tf.reshape(idx, [-1, 1]), tf.reshape(s, [-1]), [n * h * h * c]);
    });
    time('elementwise first-winner mask', () => {
      const below = tf.step(tf.sub(upsample(m, n, h, c), x));
      const windows = tf.reshape(tf.sub(1, below), [n, h / 2, 2, h / 2, 2, c]);
      const code = tf.reshape(tf.mul(windows, tf.tensor([8, 4, 2, 1], [1, 1, 2, 1, 2, 1])), [n, h, h, c]);
      const notWinner = tf.step(tf.sub(upsample(tf.maxPool(code as tf.Tensor4D, 2, 2, 'valid'), n, h, c), code));
      const spread = upsample(s, n, h, c);
      return tf.sub(spread, tf.mul(spread, notWinner));
    });
    tf.dispose([x, m, s]);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
