/**
 * Keras preprocessing layers in front of a model: Normalization (elementwise affine: relevance passes
 * through, z^B bounds carried through it), Resizing and CenterCrop (linear maps on pixels: relevance goes
 * back along the interpolation weights). Hand-computed on tiny images, and against the full pixel-to-pixel
 * matrix of the layer read off tfjs one basis image at a time (an independent path).
 */
import * as tf from '@tensorflow/tfjs';
import { composite, explain, lrp0, tutorialComposite, type Composite } from '../src';
import { BACKENDS, maxAbs, maxAbsDiff, useBackend } from './helpers/backend';

const allLrp0 = (): Composite => composite({ rules: [{ match: () => true, rule: lrp0({ stabilizer: 1e-12 }) }] });

/**
 * Keras's Normalization as a Keras model converted to tfjs would bring it: tfjs has no such class, an
 * application registers one (here with the statistics in the config, as `Normalization(mean=…, variance=…)`).
 */
class Normalization extends tf.layers.Layer {
  static className = 'Normalization';
  readonly mean: number[];
  readonly variance: number[];
  constructor(args: { mean: number[]; variance: number[]; inputShape?: number[] }) {
    super(args);
    this.mean = args.mean;
    this.variance = args.variance;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      return tf.div(tf.sub(x, tf.tensor1d(this.mean)), tf.sqrt(tf.tensor1d(this.variance)));
    });
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), mean: this.mean, variance: this.variance };
  }
}
tf.serialization.registerClass(Normalization);

/**
 * tfjs 4.22 builds models with these layers wrongly: Resizing's computeOutputShape drops the batch axis
 * ([h, w, W] for [N, H, W, C]) and CenterCrop's overwrites the input's shape array in place (so the model
 * input takes the crop size). An application has to correct them to build a model at all; LRP itself only
 * reads concrete tensors.
 */
function shapeFixed<T extends tf.layers.Layer>(layer: T): T {
  const { height, width } = layer.getConfig() as { height: number; width: number };
  layer.computeOutputShape = (shape) => {
    const s = [...(shape as (number | null)[])];
    s[s.length - 3] = height;
    s[s.length - 2] = width;
    return s;
  };
  return layer;
}

/** Σ over one dense unit with weights 1 and no bias: f(x) = Σ y, and LRP-0 hands each y its own value. */
function sumHead(): tf.layers.Layer[] {
  return [tf.layers.flatten(), tf.layers.dense({ units: 1, useBias: false, kernelInitializer: 'ones' })];
}

function relevanceOf(model: tf.LayersModel, x: tf.Tensor, c: Composite = allLrp0()) {
  const r = explain(model, x, { target: 0, composite: c });
  const out = { relevance: Array.from(r.relevance.dataSync()), f: r.output.dataSync()[0] };
  tf.dispose([r.relevance, r.output]);
  return out;
}

function close(actual: number[], expected: number[], tol = 1e-5) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i])).toBeLessThanOrEqual(tol));
}

/** The layer's full matrix M [outPixels, inPixels] on one channel: the layer applied to each one-hot image. */
function pixelMatrix(layer: tf.layers.Layer, h: number, w: number): tf.Tensor2D {
  return tf.tidy(() => {
    const basis = tf.reshape(tf.eye(h * w), [h * w, h, w, 1]);
    const out = layer.apply(basis) as tf.Tensor;
    return tf.transpose(tf.reshape(out, [h * w, -1])) as tf.Tensor2D;
  });
}

describe.each(BACKENDS)('preprocessing layers on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it('Resizing, bilinear 2×2 → 3×3: each output pixel hands its relevance to the pixels it was interpolated from', () => {
    // tfjs resizes with alignCorners = !cropToAspectRatio: rows and columns at 0, ½, 1.
    const model = tf.sequential({
      layers: [shapeFixed(tf.layers.resizing({ inputShape: [2, 2, 1], height: 3, width: 3 })), ...sumHead()],
    });
    const { relevance, f } = relevanceOf(model, tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]));
    // y = [[1, 1.5, 2], [2, 2.5, 3], [3, 3.5, 4]], R_y = y; R_x[0,0] = y00 + ½y01 + ½y10 + ¼y11 = 3.375, …
    expect(f).toBeCloseTo(22.5, 5);
    close(relevance, [3.375, 4.875, 6.375, 7.875]);
  });

  it('Resizing, nearest 2×2 → 4×4: each pixel gets the relevance of its four copies', () => {
    const model = tf.sequential({
      layers: [
        shapeFixed(tf.layers.resizing({ inputShape: [2, 2, 1], height: 4, width: 4, interpolation: 'nearest' })),
        ...sumHead(),
      ],
    });
    const { relevance, f } = relevanceOf(model, tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]));
    expect(f).toBeCloseTo(40, 5);
    close(relevance, [4, 8, 12, 16]);
  });

  it('CenterCrop 4×4 → 2×2: the kept pixels get their relevance, the cropped-off ones none', () => {
    const model = tf.sequential({
      layers: [shapeFixed(tf.layers.centerCrop({ inputShape: [4, 4, 1], height: 2, width: 2 })), ...sumHead()],
    });
    const x = tf.reshape(tf.range(1, 17), [1, 4, 4, 1]);
    const { relevance, f } = relevanceOf(model, x);
    expect(f).toBeCloseTo(6 + 7 + 10 + 11, 5);
    close(relevance, [0, 0, 0, 0, 0, 6, 7, 0, 0, 10, 11, 0, 0, 0, 0, 0]);
    x.dispose();
  });

  it.each([
    [
      'Resizing bilinear 5×7 → 4×3 (cropToAspectRatio)',
      () => tf.layers.resizing({ height: 4, width: 3, cropToAspectRatio: true }),
    ],
    ['Resizing nearest 5×7 → 8×9', () => tf.layers.resizing({ height: 8, width: 9, interpolation: 'nearest' })],
    ['CenterCrop 5×7 → 3×4', () => tf.layers.centerCrop({ height: 3, width: 4 })],
    ['CenterCrop 5×7 → 6×8 (upsizes)', () => tf.layers.centerCrop({ height: 6, width: 8 })],
  ])('%s: forward equals the layers, relevance is Mᵀ·R through the full pixel matrix', (_, make) => {
    const resample = shapeFixed(make());
    const conv = tf.layers.conv2d({
      filters: 3,
      kernelSize: 2,
      useBias: false,
      activation: 'relu',
      kernelInitializer: tf.initializers.heNormal({ seed: 3 }),
    });
    const input = tf.input({ shape: [5, 7, 2] });
    const resampled = resample.apply(input) as tf.SymbolicTensor;
    const out = tf.layers
      .dense({ units: 2, useBias: false, kernelInitializer: tf.initializers.heNormal({ seed: 4 }) })
      .apply(tf.layers.flatten().apply(conv.apply(resampled))) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const x = tf.randomUniform([2, 5, 7, 2], 0, 1, 'float32', 5);
    const r = explain(model, x, { target: 0, composite: allLrp0(), returnLayers: true });
    // The layers applied in turn (tfjs 4.22's predict fails on a model with Resizing: see shapeFixed).
    const predicted = model.layers.slice(1).reduce((t, l) => l.apply(t) as tf.Tensor, x as tf.Tensor);
    expect(maxAbsDiff(r.output, predicted)).toBeLessThanOrEqual(1e-5 * maxAbs(predicted));
    // Relevance at the resampled image, moved back through the layer's full matrix channel by channel.
    const atResampled = r.layers!.find((l) => l.name === resample.name)!.relevance as tf.Tensor4D;
    const [, oh, ow] = atResampled.shape;
    const m = pixelMatrix(resample, 5, 7);
    const expected = tf.tidy(() => {
      const perChannel = tf.reshape(tf.transpose(atResampled, [0, 3, 1, 2]), [-1, oh * ow]); // [n·c, out]
      return tf.transpose(tf.reshape(tf.matMul(perChannel, m), [2, 2, 5, 7]), [0, 2, 3, 1]);
    });
    expect(maxAbsDiff(r.relevance, expected)).toBeLessThanOrEqual(1e-5 * maxAbs(expected));
    expect(maxAbs(expected)).toBeGreaterThan(0);
    tf.dispose([x, predicted, r.relevance, r.output, m, expected, ...r.layers!.map((l) => l.relevance)]);
  });

  it('Normalization (registered by the application): relevance passes through, z^B bounds carried through it', () => {
    const mean = [0.5, 0.4, 0.3];
    const variance = [0.04, 0.09, 0.25];
    const sd = variance.map(Math.sqrt);
    const conv = () =>
      tf.layers.conv2d({
        filters: 3,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed: 7 }),
      });
    const normalized = tf.sequential({
      layers: [
        new Normalization({ inputShape: [6, 6, 3], mean, variance }),
        conv(),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.heNormal({ seed: 8 }) }),
      ],
    });
    const plain = tf.sequential({
      layers: [
        tf.layers.conv2d({ ...normalized.layers[1].getConfig(), inputShape: [6, 6, 3] } as never),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2 }),
      ],
    });
    plain.setWeights(normalized.getWeights());
    const pixels = tf.randomUniform([2, 6, 6, 3], 0, 1, 'float32', 9);
    // Pixel bounds [0, 1] become (0 − mean)/sd and (1 − mean)/sd per channel, computed here by hand.
    const a = explain(normalized, pixels, { target: 0, composite: tutorialComposite({ lowest: 0, highest: 1 }) });
    const z = tf.div(tf.sub(pixels, tf.tensor1d(mean)), tf.tensor1d(sd));
    const b = explain(plain, z, {
      target: 0,
      composite: tutorialComposite({
        lowest: mean.map((m, i) => (0 - m) / sd[i]),
        highest: mean.map((m, i) => (1 - m) / sd[i]),
      }),
    });
    expect(maxAbsDiff(a.output, b.output)).toBeLessThanOrEqual(1e-5 * maxAbs(b.output));
    expect(maxAbsDiff(a.relevance, b.relevance)).toBeLessThanOrEqual(1e-5 * maxAbs(b.relevance));
    expect(maxAbs(b.relevance)).toBeGreaterThan(0);
    tf.dispose([pixels, z, a.relevance, a.output, b.relevance, b.output]);
  });

  it('z^B bounds are carried through Resizing: as the same conv on the resized image with the same bounds', () => {
    const conv = () =>
      tf.layers.conv2d({
        filters: 2,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed: 11 }),
      });
    const dense = () => tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.heNormal({ seed: 12 }) });
    const resizing = shapeFixed(tf.layers.resizing({ inputShape: [5, 7, 3], height: 6, width: 6 }));
    const withResize = tf.sequential({ layers: [resizing, conv(), tf.layers.flatten(), dense()] });
    const plain = tf.sequential({
      layers: [
        tf.layers.conv2d({ ...withResize.layers[1].getConfig(), inputShape: [6, 6, 3] } as never),
        tf.layers.flatten(),
        dense(),
      ],
    });
    plain.setWeights(withResize.getWeights());
    const pixels = tf.randomUniform([2, 5, 7, 3], 0, 1, 'float32', 13);
    const c = tutorialComposite({ lowest: 0, highest: 1 });
    const a = explain(withResize, pixels, { target: 0, composite: c, returnLayers: true });
    const resized = resizing.apply(pixels) as tf.Tensor;
    // Constant bounds stay constant through interpolation (weights ≥ 0, rows summing to 1).
    const b = explain(plain, resized, { target: 0, composite: c });
    const atResized = a.layers!.find((l) => l.name === resizing.name)!.relevance;
    expect(maxAbsDiff(atResized, b.relevance)).toBeLessThanOrEqual(1e-5 * maxAbs(b.relevance));
    expect(maxAbs(b.relevance)).toBeGreaterThan(0);
    tf.dispose([pixels, resized, a.relevance, a.output, b.relevance, b.output, ...a.layers!.map((l) => l.relevance)]);
  });

  it('leaves no tensors behind', () => {
    const model = tf.sequential({
      layers: [shapeFixed(tf.layers.resizing({ inputShape: [4, 4, 2], height: 3, width: 5 })), ...sumHead()],
    });
    const x = tf.randomUniform([1, 4, 4, 2], 0, 1, 'float32', 1);
    relevanceOf(model, x);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) relevanceOf(model, x);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
