import * as tf from '@tensorflow/tfjs';
import { gradient } from '../src';
import { maxDiff, useBackend } from './helpers/backend';

beforeAll(() => useBackend('cpu'));

/** A conv → relu → dense net with a bias everywhere, seeded. */
function convDense(): tf.Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.conv2d({
      inputShape: [6, 6, 2],
      filters: 3,
      kernelSize: 3,
      padding: 'same',
      kernelInitializer: tf.initializers.randomNormal({ seed: 1 }),
      biasInitializer: tf.initializers.randomNormal({ seed: 2 }),
    }),
  );
  model.add(tf.layers.reLU());
  model.add(tf.layers.flatten());
  model.add(
    tf.layers.dense({
      units: 4,
      kernelInitializer: tf.initializers.randomNormal({ seed: 3 }),
      biasInitializer: tf.initializers.randomNormal({ seed: 4 }),
    }),
  );
  return model;
}

describe('gradients skip the weight gradients of fused Conv2D/Dense layers', () => {
  let model: tf.Sequential;
  let reference: tf.Sequential;
  let x: tf.Tensor4D;
  beforeAll(() => {
    model = convDense();
    reference = convDense(); // same seeds, never passed to @lrpjs/attribution
    x = tf.randomNormal([3, 6, 6, 2], 0, 1, 'float32', 5) as tf.Tensor4D;
  });
  afterAll(() => {
    model.dispose();
    reference.dispose();
    x.dispose();
  });

  it('equals tfjs autodiff through the unmodified model', () => {
    const r = gradient(model, x, { target: [0, 1, 3] });
    const expected = tf.tidy(() => {
      const mask = tf.oneHot([0, 1, 3], 4).toFloat();
      return tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(reference.apply(xi) as tf.Tensor, mask)))(x);
    });
    expect(maxDiff(r.relevance.dataSync(), expected.dataSync())).toBeLessThan(1e-5);
    tf.dispose([r.relevance, r.output, expected]);
  });

  it('runs no weight-gradient kernel', async () => {
    gradient(model, x, { target: 'predicted' }); // warm-up, then profile
    const profile = await tf.profile(() => {
      const r = gradient(model, x, { target: 'predicted' });
      tf.dispose([r.relevance, r.output]);
    });
    const names = profile.kernels.map((k) => k.name);
    expect(names).toContain('Conv2DBackpropInput');
    expect(names).not.toContain('Conv2DBackpropFilter');
    // the dense layer's input gradient is one MatMul (dy·Wᵀ); its weight gradient (xᵀ·dy) would be a second
    const matMuls = names.filter((n) => n === 'BatchMatMul' || n === '_FusedMatMul').length;
    expect(matMuls).toBe(3); // the logits (fused), the recorded forward, the input gradient
  });

  it('leaves inference and tensor counts unchanged', () => {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const r = gradient(model, x, { target: [1, 1, 1] });
      tf.dispose([r.relevance, r.output]);
    }
    expect(tf.memory().numTensors).toBe(before);
    const y = model.predict(x) as tf.Tensor;
    const yRef = reference.predict(x) as tf.Tensor;
    expect(maxDiff(y.dataSync(), yRef.dataSync())).toBe(0);
    tf.dispose([y, yRef]);
  });
});
