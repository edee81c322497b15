import * as tf from '@tensorflow/tfjs';
import { SpatialDropout2D, buildNet2, selectBackend } from '../src';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu' });
});

describe('SpatialDropout2D', () => {
  test('training: whole channels zeroed, the others scaled by 1/(1−p); inference: identity', () => {
    const rate = 0.5;
    const layer = new SpatialDropout2D({ rate, seed: 42 });
    const [n, h, w, c] = [8, 3, 4, 16];
    const x = tf.add(tf.randomUniform([n, h, w, c]), 1) as tf.Tensor4D; // strictly positive: a zero means dropped
    const xv = x.arraySync();
    const y = layer.apply(x, { training: true }) as tf.Tensor4D;
    const yv = y.arraySync();
    let dropped = 0;
    for (let b = 0; b < n; b++) {
      for (let ch = 0; ch < c; ch++) {
        const ratios = new Set<number>();
        for (let i = 0; i < h; i++)
          for (let j = 0; j < w; j++) ratios.add(Math.round((yv[b][i][j][ch] / xv[b][i][j][ch]) * 1e5) / 1e5);
        expect(ratios.size).toBe(1); // the whole feature map shares one factor
        const [r] = [...ratios];
        expect([0, 1 / (1 - rate)]).toContain(r);
        if (r === 0) dropped++;
      }
    }
    // 128 Bernoulli(0.5) draws: far from all-or-nothing.
    expect(dropped).toBeGreaterThan(32);
    expect(dropped).toBeLessThan(96);
    const inference = layer.apply(x, { training: false }) as tf.Tensor;
    expect(Array.from(inference.dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose([x, y, inference]);
  });

  test('serialises its rate and round-trips through tfjs serialization', () => {
    const layer = new SpatialDropout2D({ rate: 0.25, name: 'd' });
    const config = layer.getConfig();
    expect(config.rate).toBe(0.25);
    const cls = tf.serialization.SerializationMap.getMap().classNameMap['SpatialDropout2D'];
    expect(cls).toBeDefined();
    expect(() => new SpatialDropout2D({ rate: 1 })).toThrow(/rate/);
  });

  test('net2: dropout active in training, off at inference', () => {
    const m = buildNet2({ numClasses: 4, inputSize: 16, seed: 5 });
    const x = tf.randomNormal([6, 16, 16, 3]);
    const p1 = m.predict(x) as tf.Tensor;
    const p2 = m.predict(x) as tf.Tensor;
    const t1 = m.apply(x, { training: true }) as tf.Tensor;
    const t2 = m.apply(x, { training: true }) as tf.Tensor;
    expect(Array.from(p1.dataSync())).toEqual(Array.from(p2.dataSync()));
    expect(Array.from(t1.dataSync())).not.toEqual(Array.from(t2.dataSync()));
    tf.dispose([x, p1, p2, t1, t2]);
    m.dispose();
  });
});
