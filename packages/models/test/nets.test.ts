import * as tf from '@tensorflow/tfjs';
import { buildNet1, buildNet2, selectBackend } from '../src';

beforeAll(async () => {
  await selectBackend({ backend: 'cpu' });
});

// PyTorch's parameter counts, by hand: Conv2d(ci, co, k) has k·k·ci·co weights + co biases.
const conv = (ci: number, co: number, k: number) => k * k * ci * co + co;
const tutorialParams = (nc: number) => conv(3, 10, 5) + conv(10, 25, 5) + conv(25, 100, 5) + conv(100, nc, 8);

describe('net1 / net2', () => {
  test('parameter counts equal the tutorial PyTorch nets (760 + 6275 + 62600 + 6401·nc)', () => {
    for (const nc of [2, 19]) {
      const m1 = buildNet1({ numClasses: nc, seed: 1 });
      const m2 = buildNet2({ numClasses: nc, seed: 1 });
      expect(tutorialParams(nc)).toBe(760 + 6275 + 62600 + 6400 * nc + nc);
      expect(m1.countParams()).toBe(tutorialParams(nc));
      expect(m2.countParams()).toBe(tutorialParams(nc));
      m1.dispose();
      m2.dispose();
    }
    expect(tutorialParams(19)).toBe(191254);
  });

  test('layer sequence, names and shapes (channels-last, logits output)', () => {
    const m = buildNet2({ numClasses: 19, seed: 1 });
    expect(m.layers.map((l) => l.name)).toEqual([
      'conv1',
      'relu1',
      'pool1',
      'conv2',
      'relu2',
      'pool2',
      'conv3',
      'relu3',
      'pool3',
      'dropout',
      'conv4',
      'flatten',
    ]);
    expect(m.layers.map((l) => l.getClassName())).toEqual([
      'Conv2D',
      'ReLU',
      'MaxPooling2D',
      'Conv2D',
      'ReLU',
      'MaxPooling2D',
      'Conv2D',
      'ReLU',
      'MaxPooling2D',
      'SpatialDropout2D',
      'Conv2D',
      'Flatten',
    ]);
    const shapes = m.layers.map((l) => (l.outputShape as number[]).slice(1));
    expect(shapes).toEqual([
      [64, 64, 10],
      [64, 64, 10],
      [32, 32, 10],
      [32, 32, 25],
      [32, 32, 25],
      [16, 16, 25],
      [16, 16, 100],
      [16, 16, 100],
      [8, 8, 100],
      [8, 8, 100],
      [1, 1, 19],
      [19],
    ]);
    const conv4 = m.getLayer('conv4').getConfig();
    expect(conv4.kernelSize).toEqual([8, 8]);
    expect(conv4.padding).toBe('valid');
    expect(m.getLayer('conv1').getConfig().padding).toBe('same');
    expect((m.getLayer('dropout').getConfig() as { rate: number }).rate).toBe(0.5);
    const y = tf.tidy(() => (m.predict(tf.zeros([2, 64, 64, 3])) as tf.Tensor).shape);
    expect(y).toEqual([2, 19]);
    m.dispose();
  });

  test('net1 has no dropout; other input sizes scale the top kernel', () => {
    const m = buildNet1({ numClasses: 3, inputSize: 32, seed: 1 });
    expect(m.layers.some((l) => l.getClassName() === 'SpatialDropout2D')).toBe(false);
    expect(m.getLayer('conv4').getConfig().kernelSize).toEqual([4, 4]);
    expect(m.outputs[0].shape).toEqual([null, 3]);
    m.dispose();
    expect(() => buildNet1({ numClasses: 3, inputSize: 60 })).toThrow(/multiple of 8/);
    expect(() => buildNet1({ numClasses: 1 })).toThrow(/numClasses/);
  });

  test('PyTorch init: weights and biases U(−1/√fan_in, 1/√fan_in), seeded', () => {
    const a = buildNet1({ numClasses: 19, seed: 7 });
    const b = buildNet1({ numClasses: 19, seed: 7 });
    const c = buildNet1({ numClasses: 19, seed: 8 });
    const fanIn: Record<string, number> = {
      conv1: 5 * 5 * 3,
      conv2: 5 * 5 * 10,
      conv3: 5 * 5 * 25,
      conv4: 8 * 8 * 100,
    };
    for (const [name, fan] of Object.entries(fanIn)) {
      const bound = 1 / Math.sqrt(fan);
      for (const w of a.getLayer(name).getWeights()) {
        const v = w.dataSync();
        let max = 0;
        let sq = 0;
        for (const x of v) {
          max = Math.max(max, Math.abs(x));
          sq += x * x;
        }
        expect(max).toBeLessThanOrEqual(bound);
        if (v.length > 500) {
          // A uniform on [−b, b] reaches close to b and has standard deviation b/√3.
          expect(max).toBeGreaterThan(0.98 * bound);
          expect(Math.sqrt(sq / v.length)).toBeCloseTo(bound / Math.sqrt(3), 2);
        }
      }
      expect(Array.from(a.getLayer(name).getWeights()[0].dataSync())).toEqual(
        Array.from(b.getLayer(name).getWeights()[0].dataSync()),
      );
      expect(Array.from(a.getLayer(name).getWeights()[0].dataSync())).not.toEqual(
        Array.from(c.getLayer(name).getWeights()[0].dataSync()),
      );
    }
    [a, b, c].forEach((m) => m.dispose());
  });

  test("init 'tfjs' keeps tfjs defaults (zero biases)", () => {
    const m = buildNet1({ numClasses: 5, init: 'tfjs', seed: 3 });
    expect(Array.from(m.getLayer('conv2').getWeights()[1].dataSync()).every((v) => v === 0)).toBe(true);
    m.dispose();
  });
});
