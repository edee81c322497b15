/**
 * LRP on the project's real transfer models: net3 (VGG-16's first 17 layers behind a caffe
 * ChannelAffine, random weights, a fitted top conv) and net4 (@lrpjs/models' face backbone, a ResNet, plus a
 * logistic-regression head fitted on three LFW faces): the forward pass equals predict, relevance lies
 * on the face, and the zennit-named EpsilonGammaBox stays stable behind the residual sums
 * (0 < ΣR/f(x) ≤ 1; with the tutorial's γ it reached 1e4–1e9). wasm only: the 150×150 ResNet is ~10×
 * slower on the pure-JS cpu backend.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildFaceBackbone, buildNet3, buildNet4, buildVgg16Features, fitLogisticRegression } from '@lrpjs/models';
import { readFaceApiWeights } from '@lrpjs/models/node';
import { createComposite, disposeCache, explain, tutorialComposite } from '../src';
import { useBackend } from './helpers/backend';

// Three real LFW crops (deep-funneled, rows/cols 68:197, resized to 150×150), uint8 NHWC RGB; a copy of
// @lrpjs/models' test fixture.
const FACES = path.join(__dirname, 'fixtures', 'lfw-faces-3x150x150x3.u8');

/** Mean |relevance| in the central half of the crop over that in the frame around it. */
function centerToFrame(relevance: tf.Tensor, i: number): number {
  const r = tf.tidy(() => tf.abs(tf.sum(tf.slice(relevance, [i, 0, 0, 0], [1, -1, -1, -1]), 3)).dataSync());
  let center = 0;
  let frame = 0;
  for (let a = 0; a < 150; a++)
    for (let b = 0; b < 150; b++) {
      if (a >= 37 && a < 113 && b >= 37 && b < 113) center += r[a * 150 + b];
      else frame += r[a * 150 + b];
    }
  return center / (76 * 76) / (frame / (150 * 150 - 76 * 76));
}

describe('net4 (face backbone + head) on wasm', () => {
  let net4: tf.LayersModel;
  let x: tf.Tensor4D;

  beforeAll(async () => {
    await useBackend('wasm');
    const pixels = tf.tensor4d(Float32Array.from(fs.readFileSync(FACES)), [3, 150, 150, 3]);
    x = tf.tidy(() => tf.sub(tf.mul(tf.div(pixels, 255), 3), 1.5) as tf.Tensor4D);
    pixels.dispose();
    const backbone = buildFaceBackbone({ weights: readFaceApiWeights() });
    const d = backbone.predict(x) as tf.Tensor2D;
    const head = await fitLogisticRegression(d, [0, 1, 2]);
    d.dispose();
    net4 = buildNet4({ backbone, head });
  });

  afterAll(() => {
    disposeCache(net4);
    net4.dispose();
    x.dispose();
  });

  it('explains each face with relevance on the face (EpsilonPlus), leaving no tensors behind', () => {
    const composite = createComposite('epsilon-plus');
    const first = explain(net4, x, { target: [0, 1, 2], composite });
    tf.dispose([first.relevance, first.output]);
    const before = tf.memory().numTensors;
    const result = explain(net4, x, { target: [0, 1, 2], composite });
    const expected = net4.predict(x) as tf.Tensor;
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(result.output, expected))).dataSync()[0])).toBeLessThan(1e-4);
    expect(result.relevance.dataSync().every(Number.isFinite)).toBe(true);
    for (let i = 0; i < 3; i++) expect(centerToFrame(result.relevance, i)).toBeGreaterThan(1.5);
    tf.dispose([result.relevance, result.output, expected]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("EpsilonGammaBox with zennit's γ stays stable behind the residual sums (0 < ΣR/f(x) ≤ 1)", () => {
    const result = explain(net4, x, {
      target: [0, 1, 2],
      composite: createComposite('epsilon-gamma-box'),
      diagnostics: true,
    });
    const { ratio, layers } = result.diagnostics!;
    for (const r of ratio) {
      expect(r).toBeGreaterThan(0);
      expect(r).toBeLessThanOrEqual(1);
    }
    // Every relevance sum on the way down stays within f(x)'s order of magnitude.
    const f = Math.max(...result.diagnostics!.start.map(Math.abs));
    for (const l of layers) for (const v of l.relevanceIn) expect(Math.abs(v)).toBeLessThan(10 * f);
    tf.dispose([result.relevance, result.output]);
  });

  it('runs the tutorial composite (z^B through the ChannelAffine input layer) to finite relevance', () => {
    const one = tf.slice(x, [0, 0, 0, 0], [1, -1, -1, -1]);
    const result = explain(net4, one, { target: 0, composite: tutorialComposite() });
    expect(result.relevance.shape).toEqual([1, 150, 150, 3]);
    expect(result.relevance.dataSync().every(Number.isFinite)).toBe(true);
    tf.dispose([one, result.relevance, result.output]);
  });
});

describe('net3 (VGG-16 features + top conv) on wasm', () => {
  it('runs the tutorial composite end to end: z^B through the caffe ChannelAffine, γ, LRP-0 on top', async () => {
    await useBackend('wasm');
    const features = buildVgg16Features({ inputSize: 16, seed: 7 });
    const x = tf.randomUniform([6, 16, 16, 3], -1.5, 1.5, 'float32', 11) as tf.Tensor4D;
    const f = tf.reshape(features.predict(x) as tf.Tensor, [6, -1]) as tf.Tensor2D;
    const head = await fitLogisticRegression(f, [0, 1, 2, 0, 1, 2]);
    f.dispose();
    const net3 = buildNet3({ features, head });
    const result = explain(net3, x, { target: [0, 1, 2, 0, 1, 2], composite: tutorialComposite() });
    expect(result.relevance.shape).toEqual([6, 16, 16, 3]);
    const r = result.relevance.dataSync();
    expect(r.every(Number.isFinite)).toBe(true);
    expect(r.some((v) => v !== 0)).toBe(true);
    const direct = net3.predict(x) as tf.Tensor;
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(result.output, direct))).dataSync()[0])).toBeLessThan(1e-4);
    tf.dispose([x, result.relevance, result.output, direct]);
    disposeCache(net3);
    net3.dispose();
  });
});
