import * as tf from '@tensorflow/tfjs';
import { buildNet1, selectBackend } from '@lrpjs/models';
import { forwardOf } from '../src';
async function main() {
  const backend = await selectBackend({ backend: 'auto' });
  const model = buildNet1({ numClasses: 19, seed: 0 });
  const f = forwardOf(model);
  for (const bs of [32, 64, 128, 256, 512]) {
    const x = tf.randomNormal([bs, 64, 64, 3]);
    tf.tidy(() => f(x).dataSync());
    const t0 = performance.now();
    const reps = Math.max(2, Math.round(1024 / bs));
    for (let r = 0; r < reps; r++) tf.tidy(() => f(x).dataSync());
    const s = (performance.now() - t0) / 1000;
    console.log(backend, 'batch', bs, 'img/s', Math.round((reps * bs) / s));
    x.dispose();
  }
  // per layer time at batch 256
  const x = tf.randomNormal([256, 64, 64, 3]);
  let h: tf.Tensor = x;
  for (const l of model.layers) {
    const t0 = performance.now();
    const y = l.apply(h) as tf.Tensor; y.dataSync();
    console.log(l.getClassName(), l.name, y.shape.join('x'), ((performance.now() - t0)).toFixed(0), 'ms');
    h = y;
  }
}
main();
