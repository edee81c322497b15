/**
 * The zoo checks for one nsfwjs model, shared by one test file per model (so each file loads its model
 * once and jest can run the files in parallel):
 * - lrp's forward pass equals `predict` (≤ 1e-5 relative) and most of |R| lies on the face, from one
 *   explain call with the recommended composite on four LFW photos;
 * - every preset of the catalogue, one after the other on one photo WITHOUT disposeCache: relevance
 *   finite and non-zero, the weight cache within its bound after every call (InceptionV3's modified
 *   weights are 0.3–0.6 GB per preset: without the bound, wasm aborted at the fourth); a preset that is
 *   unstable on the model (the tutorial's γ on MobileNet's linear bottlenecks) must fail with the
 *   error that names the layer and the recommended composite, never return a garbage heatmap.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { COMPOSITE_NAMES, cacheStats, createComposite, disposeCache, explain, recommendedComposite } from '@lrpjs/lrp';
import { NSFWJS_MODELS, loadNsfwjs, type NsfwjsModelName } from '../../src/nsfwjs';
import { FACES, centralShare, lfwAvailable, loadFaces } from '../../src/faces';

/** The face fills the middle of an LFW frame: the box [0.2, 0.8]² (36 % of the area). */
const FACE_BOX: [number, number] = [0.2, 0.8];
const FACE_AREA = (FACE_BOX[1] - FACE_BOX[0]) ** 2;

export interface ZooExpectations {
  /** Presets that diverge on this model and must say so (with the recommended composite in the message). */
  diverging?: string[];
}

export function describeZooModel(name: NsfwjsModelName, expectations: ZooExpectations = {}): void {
  const diverging = new Set(expectations.diverging ?? []);
  const size = NSFWJS_MODELS[name].size;
  if (!lfwAvailable()) {
    if (process.env.CI === 'true') throw new Error(`LFW photos missing (${FACES[0]}): the zoo test needs ../shared`);
    console.warn(`${name}: ${FACES[0]} not found (../shared/data missing): random images, no face test`);
  }

  describe(`nsfwjs ${name}`, () => {
    let model: tf.LayersModel | tf.GraphModel;
    let photos: tf.Tensor4D;

    beforeAll(async () => {
      await tf.setBackend('wasm');
      await tf.ready();
      model = await loadNsfwjs(name);
      photos = lfwAvailable()
        ? await loadFaces(FACES, size)
        : tf.randomUniform([FACES.length, size, size, 3], 0, 1, 'float32', 1);
    });

    afterAll(() => {
      disposeCache(model);
      model.dispose();
      photos.dispose();
    });

    it('lrp forward equals predict; on LFW photos most of |R| lies on the face', () => {
      const recommended = recommendedComposite(model);
      const r = explain(model, photos, { target: 'predicted', composite: createComposite(recommended.name) });
      const predicted = model.predict(photos) as tf.Tensor;
      // The models end in a softmax; lrp starts from the logits before it.
      const [diff, scale] = tf.tidy(() => [
        tf.max(tf.abs(tf.sub(tf.softmax(r.output), predicted))).dataSync()[0],
        tf.max(predicted).dataSync()[0],
      ]);
      expect(diff).toBeLessThanOrEqual(1e-5 * scale);
      const shares = centralShare(r.relevance as tf.Tensor4D, ...FACE_BOX);
      tf.dispose([predicted, r.relevance, r.output]);
      if (!lfwAvailable()) return;
      expect(shares.reduce((a, b) => a + b, 0) / shares.length).toBeGreaterThan(0.5);
      // Each photo puts more of its relevance on the face than a uniform map would.
      for (const s of shares) expect(s).toBeGreaterThan(FACE_AREA);
    });

    it('every preset in a row, no disposeCache: finite, non-zero relevance and the cache within its bound', () => {
      const one = tf.slice(photos, 0, 1);
      for (const preset of COMPOSITE_NAMES) {
        const run = () => explain(model, one, { target: 'predicted', composite: createComposite(preset) });
        if (diverging.has(preset)) {
          expect(run).toThrow(/relevance diverged: .* first at layer ".+" .*createComposite\('epsilon-plus'\)/);
        } else {
          const r = run();
          const [finite, max] = tf.tidy(() => [
            tf.all(tf.isFinite(r.relevance)).dataSync()[0],
            tf.max(tf.abs(r.relevance)).dataSync()[0],
          ]);
          tf.dispose([r.relevance, r.output]);
          expect({ preset, finite: finite === 1 }).toEqual({ preset, finite: true });
          expect(max).toBeGreaterThan(0);
        }
        const stats = cacheStats();
        expect({ preset, within: stats.bytes <= stats.maxBytes }).toEqual({ preset, within: true });
      }
      one.dispose();
    });
  });
}
