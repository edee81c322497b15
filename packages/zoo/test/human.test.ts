/**
 * GraphModels from @vladmandic/human: emotion (grey 64×64 face → 7 emotions, softmax; separable convs,
 * residual AddV2, Mean) and antispoof (RGB 128×128 face → one sigmoid score). lrp's forward pass equals
 * the model's prediction; every preset gives finite, non-zero relevance. Their inputs are face crops
 * (as human feeds them after its detector), so the face-share check of helpers/zoo-suite.ts does not apply.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {
  COMPOSITE_NAMES,
  compositeInfo,
  createComposite,
  disposeCache,
  explain,
  recommendedComposite,
} from '@lrpjs/lrp';
import { HUMAN_MODELS, humanInput, loadHuman, type HumanModelName } from '../src/human';
import { FACES, lfwAvailable, loadFaces } from '../src/faces';

/** A preset with z^B bounds set to the model's input range where the preset has bounds. */
function preset(name: string, range: [number, number]) {
  const takesBounds = compositeInfo(name).parameters.some((p) => p.name === 'low');
  return createComposite(name, takesBounds ? { low: range[0], high: range[1] } : {});
}

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

describe.each(Object.keys(HUMAN_MODELS) as HumanModelName[])('human %s', (name) => {
  const spec = HUMAN_MODELS[name];
  let model: tf.GraphModel;
  let x: tf.Tensor4D;

  beforeAll(async () => {
    model = await loadHuman(name);
    const rgb = lfwAvailable() ? await loadFaces(FACES, 160) : tf.randomUniform([4, 160, 160, 3], 0, 1, 'float32', 2);
    x = humanInput(name, rgb as tf.Tensor4D);
    rgb.dispose();
  });

  afterAll(() => {
    disposeCache(model);
    model.dispose();
    x.dispose();
  });

  it('lrp forward equals predict (relevance starts before the final softmax / sigmoid)', () => {
    const predicted = model.predict(x) as tf.Tensor;
    const r = explain(model, x, { target: 0, composite: preset('epsilon-plus', spec.range) });
    const activated = spec.final === 'softmax' ? tf.softmax(r.output) : tf.sigmoid(r.output);
    const [diff, scale] = tf.tidy(() => [
      tf.max(tf.abs(tf.sub(activated, tf.reshape(predicted, activated.shape)))).dataSync()[0],
      tf.max(tf.abs(predicted)).dataSync()[0],
    ]);
    expect(diff).toBeLessThanOrEqual(1e-5 * scale);
    tf.dispose([predicted, activated, r.relevance, r.output]);
  });

  it('every preset gives finite, non-zero relevance', () => {
    for (const p of COMPOSITE_NAMES) {
      const r = explain(model, x, { target: 'predicted', composite: preset(p, spec.range) });
      const [finite, max] = tf.tidy(() => [
        tf.all(tf.isFinite(r.relevance)).dataSync()[0],
        tf.max(tf.abs(r.relevance)).dataSync()[0],
      ]);
      tf.dispose([r.relevance, r.output]);
      expect({ preset: p, finite: finite === 1 }).toEqual({ preset: p, finite: true });
      expect(max).toBeGreaterThan(0);
    }
  });
});
