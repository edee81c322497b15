import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/backend/select';
import {
  buildNet3,
  buildVgg16Features,
  extractFeatures,
  fitLogisticRegression,
  logisticRegressionLogits,
  predictLogisticRegression,
} from '../../src/transfer';
import { loadVgg16Weights } from '../../src/node';
import { uniform, writeVggFixture } from './vgg-fixture';

// The tutorial's net3 path on fixture weights (real VGG shapes, synthetic values): HDF5 → features →
// logistic regression → top conv. 16x16 inputs keep it fast on the cpu backend (2x2x256 features).
const SIZE = 16;
const N = 24;
const K = 3;

let tmp: string;

const maxAbs = (t: () => tf.Tensor) => tf.tidy(() => tf.max(tf.abs(t())).dataSync()[0]);

beforeAll(async () => {
  await selectBackend({ backend: 'wasm' });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lrpjs-net3-'));
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Images whose class shows as a colour cast, in the tutorial's input scale. */
function syntheticImages(): { x: tf.Tensor4D; y: Int32Array } {
  const noise = uniform(N * SIZE * SIZE * 3, 3);
  const y = Int32Array.from({ length: N }, (_, i) => i % K);
  const values = new Float32Array(N * SIZE * SIZE * 3);
  for (let i = 0; i < values.length; i++) {
    const sample = Math.floor(i / (SIZE * SIZE * 3));
    const channel = i % 3;
    const pixel = 0.5 + 0.25 * noise[i] + (channel === y[sample] ? 0.2 : -0.1);
    values[i] = pixel * 3 - 1.5;
  }
  return { x: tf.tensor4d(values, [N, SIZE, SIZE, 3]), y };
}

describe('net3 end to end on fixture weights', () => {
  it('features → logistic regression → top conv reproduces the regression', async () => {
    const file = path.join(tmp, 'notop.h5');
    await writeVggFixture(file);
    const features = buildVgg16Features({ inputSize: SIZE, weights: await loadVgg16Weights(file) });
    const { x, y } = syntheticImages();

    const before = tf.memory().numTensors;
    const f = await extractFeatures(features, x, { batchSize: 10 });
    expect(f.shape).toEqual([N, (SIZE / 8) * (SIZE / 8) * 256]);
    // Batching does not change the features.
    const single = tf.tidy(() =>
      tf.reshape(features.predict(tf.slice(x, [N - 1, 0, 0, 0], [1, -1, -1, -1])) as tf.Tensor, [1, -1]),
    );
    const last = tf.slice(f, [N - 1, 0], [1, -1]);
    expect(maxAbs(() => tf.sub(single, last))).toBeLessThan(1e-4);
    tf.dispose([single, last]);

    const head = await fitLogisticRegression(f, y);
    expect(head.numFeatures).toBe(1024);
    const net3 = buildNet3({ features, head });
    expect(net3.layers.slice(-2).map((l) => l.getClassName())).toEqual(['Conv2D', 'Flatten']);
    expect(net3.getLayer('top_conv').getWeights()[0].shape).toEqual([SIZE / 8, SIZE / 8, 256, K]);

    const logits = net3.predict(x) as tf.Tensor2D;
    const expected = logisticRegressionLogits(head, f);
    const scale = maxAbs(() => expected);
    expect(maxAbs(() => tf.sub(logits, expected))).toBeLessThan(1e-4 * Math.max(1, scale));
    const argMax = tf.argMax(logits, 1);
    const predicted = Array.from(argMax.dataSync());
    argMax.dispose();
    expect(predicted).toEqual(Array.from(predictLogisticRegression(head, f)));
    // The synthetic classes are separable: the fitted head classifies the training set.
    expect(predicted).toEqual(Array.from(y));
    tf.dispose([f, logits, expected]);
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 2); // + the top conv's kernel and bias

    // LRP on net3 (tutorial composite through the caffe ChannelAffine) is tested in @lrpjs/lrp (test/models.test.ts): models does not depend on lrp.

    // Saved and loaded as a plain tfjs layers model (ChannelAffine is a registered class).
    let artifacts: tf.io.ModelArtifacts | undefined;
    await net3.save(
      tf.io.withSaveHandler(
        async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }),
      ),
    );
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    const [a, b] = [net3.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(maxAbs(() => tf.sub(a, b))).toBe(0);
    tf.dispose([a, b]);
    loaded.dispose();
    x.dispose();
    net3.dispose();
  });
});
