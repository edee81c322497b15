/**
 * DepthwiseConv2D and SeparableConv2D: forward equals predict, and relevance equals that of the same
 * model with the depthwise conv written as an ordinary Conv2D (kernel zero across channels), which
 * goes through the independent Conv2D transpose. LRP-0 without biases conserves.
 */
import * as tf from '@tensorflow/tfjs';
import { composite, explain, gamma, lrp0, zPlus, type Composite, type Rule } from '../src';
import { BACKENDS, maxAbs, maxAbsDiff, rowSums, useBackend } from './helpers/backend';

const everywhere = (rule: Rule): Composite => composite({ rules: [{ match: () => true, rule }] });

interface Case {
  size: number;
  kernel: number;
  strides: number;
  padding: 'same' | 'valid';
  multiplier: number;
  bias: boolean;
}

const CASES: Case[] = [
  { size: 6, kernel: 3, strides: 1, padding: 'same', multiplier: 1, bias: false },
  { size: 7, kernel: 3, strides: 2, padding: 'same', multiplier: 1, bias: true },
  { size: 8, kernel: 3, strides: 2, padding: 'valid', multiplier: 1, bias: true },
  // TF's asymmetric 'same' padding (0 before, 1 after) of an even size with stride 2, as in MobileNets.
  { size: 8, kernel: 3, strides: 2, padding: 'same', multiplier: 1, bias: true },
  { size: 6, kernel: 2, strides: 1, padding: 'same', multiplier: 2, bias: true },
];

/** [depthwise model, the same as a dense Conv2D model] with one class head. */
function pair(c: Case): [tf.LayersModel, tf.LayersModel] {
  const channels = 3;
  const dw = tf.randomNormal([c.kernel, c.kernel, channels, c.multiplier], 0, 0.5, 'float32', 7);
  const bias = c.bias ? tf.randomNormal([channels * c.multiplier], 0, 0.1, 'float32', 8) : null;
  // Conv2D kernel: output channel ch·M + m reads input channel ch only.
  const mask = tf.tensor4d(
    Array.from({ length: channels * channels * c.multiplier }, (_, i) => {
      const input = Math.floor(i / (channels * c.multiplier));
      const output = i % (channels * c.multiplier);
      return Math.floor(output / c.multiplier) === input ? 1 : 0;
    }),
    [1, 1, channels, channels * c.multiplier],
  );
  const dense = tf.mul(
    tf.tile(tf.reshape(dw, [c.kernel, c.kernel, 1, channels * c.multiplier]), [1, 1, channels, 1]),
    mask,
  );
  const common = { kernelSize: c.kernel, strides: c.strides, padding: c.padding, useBias: c.bias };
  const head = () => [
    tf.layers.flatten(),
    tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }), useBias: false }),
  ];
  const a = tf.sequential({
    layers: [
      tf.layers.depthwiseConv2d({ inputShape: [c.size, c.size, channels], depthMultiplier: c.multiplier, ...common }),
      tf.layers.reLU(),
      ...head(),
    ],
  });
  const b = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [c.size, c.size, channels], filters: channels * c.multiplier, ...common }),
      tf.layers.reLU(),
      ...head(),
    ],
  });
  a.layers[0].setWeights(bias ? [dw, bias] : [dw]);
  b.layers[0].setWeights(bias ? [dense, bias] : [dense]);
  b.layers[3].setWeights(a.layers[3].getWeights());
  tf.dispose([dw, mask, dense, ...(bias ? [bias] : [])]);
  return [a, b];
}

describe.each(BACKENDS)('DepthwiseConv2D on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(CASES)('equals the dense Conv2D form %p', (c) => {
    const [a, b] = pair(c);
    const x = tf.randomUniform([2, c.size, c.size, 3], -1, 1, 'float32', 5);
    const ya = a.predict(x) as tf.Tensor;
    const yb = b.predict(x) as tf.Tensor;
    expect(maxAbsDiff(ya, yb)).toBeLessThanOrEqual(1e-5 * maxAbs(yb));
    for (const rule of [lrp0(), gamma({ gamma: 0.25 }), zPlus()]) {
      const ra = explain(a, x, { target: 1, composite: everywhere(rule) });
      const rb = explain(b, x, { target: 1, composite: everywhere(rule) });
      expect(maxAbsDiff(ra.output, ya)).toBeLessThanOrEqual(1e-5 * maxAbs(ya));
      expect(maxAbsDiff(ra.relevance, rb.relevance)).toBeLessThanOrEqual(1e-4 * maxAbs(rb.relevance));
      tf.dispose([ra.relevance, ra.output, rb.relevance, rb.output]);
    }
    tf.dispose([x, ya, yb]);
    a.dispose();
    b.dispose();
  });

  it('conserves under LRP-0 without biases, and leaks no tensors', () => {
    const [a] = pair(CASES[0]);
    const x = tf.randomUniform([2, 6, 6, 3], -1, 1, 'float32', 9);
    const run = () => {
      const r = explain(a, x, { target: 0, composite: everywhere(lrp0({ stabilizer: 1e-12 })) });
      const sums = rowSums(r.relevance);
      const f = Array.from(r.output.dataSync()).filter((_, i) => i % 2 === 0);
      tf.dispose([r.relevance, r.output]);
      return { sums, f };
    };
    run();
    const before = tf.memory().numTensors;
    const { sums, f } = run();
    expect(tf.memory().numTensors).toBe(before);
    sums.forEach((s, i) => expect(Math.abs(s - f[i])).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(f[i]))));
    x.dispose();
    a.dispose();
  });

  it('SeparableConv2D: forward equals predict, LRP-0 conserves', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.separableConv2d({
          inputShape: [6, 6, 3],
          filters: 4,
          kernelSize: 3,
          padding: 'same',
          useBias: false,
          depthMultiplier: 2,
          depthwiseInitializer: tf.initializers.glorotNormal({ seed: 1 }),
          pointwiseInitializer: tf.initializers.glorotNormal({ seed: 2 }),
        }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2, useBias: false, kernelInitializer: tf.initializers.glorotNormal({ seed: 4 }) }),
      ],
    });
    const x = tf.randomUniform([1, 6, 6, 3], -1, 1, 'float32', 2);
    const y = model.predict(x) as tf.Tensor;
    const r = explain(model, x, { target: 0, composite: everywhere(lrp0({ stabilizer: 1e-12 })) });
    expect(maxAbsDiff(r.output, y)).toBeLessThanOrEqual(1e-5 * maxAbs(y));
    expect(Math.abs(rowSums(r.relevance)[0] - y.dataSync()[0])).toBeLessThanOrEqual(1e-4 * Math.max(1, maxAbs(y)));
    tf.dispose([x, y, r.relevance, r.output]);
    model.dispose();
  });
});
