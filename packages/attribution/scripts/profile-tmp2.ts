import * as tf from '@tensorflow/tfjs';
import { buildNet1, selectBackend } from '@lrpjs/models';
import { forwardOf } from '../src';
async function main() {
  await selectBackend({ backend: 'auto' });
  const model = buildNet1({ numClasses: 19, seed: 0 });
  const f = forwardOf(model);
  const convs = model.layers.filter((l) => l.getClassName() === 'Conv2D');
  console.log(convs.map(c=>JSON.stringify({a:(c.getConfig() as any).activation,p:(c.getConfig() as any).padding})).join(' '));
  const fused = (x: tf.Tensor4D) => {
    let h: tf.Tensor4D = x;
    convs.forEach((c, i) => {
      const [k, b] = c.getWeights();
      const cfg = c.getConfig() as any;
      h = tf.fused.conv2d({ x: h, filter: k as tf.Tensor4D, strides: 1, pad: cfg.padding, bias: b, activation: i < 3 ? 'relu' : 'linear' });
      if (i < 3) h = tf.maxPool(h, 2, 2, 'valid');
    });
    return tf.reshape(h, [x.shape[0], -1]);
  };
  const x = tf.randomNormal([256, 64, 64, 3]) as tf.Tensor4D;
  console.log('maxdiff', tf.tidy(() => tf.max(tf.abs(tf.sub(f(x), fused(x)))).dataSync()[0]));
  for (let rep = 0; rep < 3; rep++) {
    for (const [name, g] of [['apply', f], ['fused', fused]] as const) {
      const t0 = performance.now();
      for (let r = 0; r < 4; r++) tf.tidy(() => (g as any)(x).dataSync());
      console.log(name, Math.round(1024 / ((performance.now() - t0) / 1000)), 'img/s');
    }
  }
}
main();
