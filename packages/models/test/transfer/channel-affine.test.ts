import * as tf from '@tensorflow/tfjs';
import { ChannelAffine, faceApiPreprocessing, vggCaffePreprocessing } from '../../src/transfer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('ChannelAffine', () => {
  it('computes y[..., c] = x[..., perm[c]] * scale[c] + offset[c]', () => {
    const layer = new ChannelAffine({ scale: [2, 10, -1], offset: [0.5, 0, 3], permutation: [2, 0, 0] });
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6], [1, 1, 2, 3]);
    const y = layer.apply(x) as tf.Tensor;
    // pixel (1,2,3): [3*2+0.5, 1*10+0, -1*1+3]; pixel (4,5,6): [6*2+0.5, 4*10, -4+3]
    expect(Array.from(y.dataSync())).toEqual([6.5, 10, 2, 12.5, 40, -1]);
    tf.dispose([x, y]);
  });

  it('maps the tutorial input to caffe BGR and to face-api input', () => {
    // pixel (R,G,B) = (255, 128, 0) → x = p/255*3-1.5
    const rgb = [255, 128, 0];
    const x = tf.tensor4d(
      rgb.map((p) => (p / 255) * 3 - 1.5),
      [1, 1, 1, 3],
    );
    const vgg = new ChannelAffine(vggCaffePreprocessing()).apply(x) as tf.Tensor;
    const bgrMinusMean = [0 - 103.939, 128 - 116.779, 255 - 123.68];
    Array.from(vgg.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(bgrMinusMean[i], 3));
    const face = new ChannelAffine(faceApiPreprocessing()).apply(x) as tf.Tensor;
    const faceExpected = [(255 - 122.782) / 255, (128 - 117.001) / 255, (0 - 104.298) / 255];
    Array.from(face.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(faceExpected[i], 6));
    tf.dispose([x, vgg, face]);
  });

  it('survives model serialization and leaks no tensors', async () => {
    const model = tf.sequential({
      layers: [
        new ChannelAffine({
          inputShape: [2, 2, 3],
          scale: [1, 2, 3],
          offset: [0, 0, 1],
          permutation: [1, 2, 0],
          name: 'pre',
        }),
      ],
    });
    const json = model.toJSON(undefined, false) as unknown as tf.io.ModelJSON['modelTopology'];
    const restored = await tf.models.modelFromJSON({ modelTopology: json } as tf.io.ModelJSON);
    const layer = restored.getLayer('pre');
    expect(layer.getClassName()).toBe('ChannelAffine');
    expect(layer.getConfig()).toMatchObject({ scale: [1, 2, 3], offset: [0, 0, 1], permutation: [1, 2, 0] });
    const x = tf.randomNormal([2, 2, 2, 3]);
    const a = model.predict(x) as tf.Tensor;
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) (restored.predict(x) as tf.Tensor).dispose();
    expect(tf.memory().numTensors).toBe(before);
    const b = restored.predict(x) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    model.dispose();
    restored.dispose();
  });

  it('rejects inconsistent configurations with a helpful message', () => {
    expect(() => new ChannelAffine({ scale: [1, 2], offset: [0] })).toThrow(/equal length/);
    expect(() => new ChannelAffine({ scale: [1], offset: [0], permutation: [0, 1] })).toThrow(/permutation/);
    const layer = new ChannelAffine({ scale: [1, 1], offset: [0, 0] });
    expect(() => layer.apply(tf.input({ shape: [4, 4, 3] }))).toThrow(/3 channels/);
  });
});
