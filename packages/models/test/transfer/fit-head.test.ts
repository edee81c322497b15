import * as tf from '@tensorflow/tfjs';
import { fitTransferHead, type LabelledImages } from '../../src/transfer';

// Backbone: global average pooling of 2×2×2 images, so the feature of an image is its mean per channel.
function poolingBackbone(): tf.LayersModel {
  return tf.sequential({ layers: [tf.layers.globalAveragePooling2d({ inputShape: [2, 2, 2] })] });
}

// Class 0 is bright in channel 0, class 1 in channel 1: separable by the pooled features.
function images(n: number): LabelledImages {
  const values = new Float32Array(n * 8);
  const targets = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    targets[i] = i % 2;
    for (let p = 0; p < 4; p++) {
      values[i * 8 + p * 2 + targets[i]] = 1 + 0.1 * ((i + p) % 3);
      values[i * 8 + p * 2 + (1 - targets[i])] = 0.05 * p;
    }
  }
  return { values, shape: [n, 2, 2, 2], targets };
}

describe('fitTransferHead', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  test('separable features give a perfect head, and the built model predicts as the head', async () => {
    const backbone = poolingBackbone();
    const stages = new Set<string>();
    const before = tf.memory().numTensors;
    const result = await fitTransferHead(
      backbone,
      { train: images(12), test: images(6) },
      { batchSize: 5, onProgress: (p) => stages.add(p.stage) },
    );
    expect(result.evaluation.train.accuracy).toBe(1);
    expect(result.evaluation.test?.accuracy).toBe(1);
    expect(result.head.numFeatures).toBe(2);
    expect([...stages]).toEqual(['features train', 'features test', 'head']);
    // The network (backbone → dense head) classifies the test images as the regression does.
    const x = tf.tensor4d(images(6).values, [6, 2, 2, 2]);
    const predicted = tf.tidy(() => tf.argMax(result.model.predict(x) as tf.Tensor, 1));
    expect(Array.from(predicted.dataSync())).toEqual(Array.from(result.predictedTest ?? []));
    expect(Array.from(predicted.dataSync())).toEqual([0, 1, 0, 1, 0, 1]);
    tf.dispose([x, predicted]);
    // Only the head layer's weights stay (kernel + bias); the features were disposed.
    expect(tf.memory().numTensors).toBe(before + 2);
    result.model.dispose();
  });

  test('keepFeatures hands the pooled features to the caller', async () => {
    const backbone = poolingBackbone();
    const train = images(4);
    const result = await fitTransferHead(backbone, { train }, { keepFeatures: true, build: () => backbone });
    const f = result.features?.train;
    expect(f?.shape).toEqual([4, 2]);
    // Image 0 (class 0): channel 0 holds 1, 1.1, 1.2, 1 → mean 1.075; channel 1 holds 0, .05, .1, .15 → .075.
    const row = Array.from((await f!.data()).subarray(0, 2));
    expect(row[0]).toBeCloseTo(1.075, 6);
    expect(row[1]).toBeCloseTo(0.075, 6);
    expect(result.features?.test).toBeUndefined();
    expect(result.evaluation.test).toBeUndefined();
    tf.dispose(f);
    backbone.dispose();
  });

  test('no targets is a clear error', async () => {
    await expect(
      fitTransferHead(poolingBackbone(), { train: { values: new Float32Array(0), shape: [0, 2, 2, 2], targets: [] } }),
    ).rejects.toThrow(/no training targets/);
  });
});
