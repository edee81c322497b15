import * as tf from '@tensorflow/tfjs';
import { gradCam, gradient, integratedGradients, occlusion, smoothGrad } from '../src';
import { BACKENDS, maxAbs, maxDiff, useBackend } from './helpers/backend';
import { fixtureModel, loadFixture, tensor } from './helpers/fixture';

// References from PyTorch autograd in float64 (test/fixtures/gen_attribution.py); tfjs runs float32.
const f = loadFixture();
const close = (got: tf.Tensor, want: { data: number[] }, rel = 1e-4) =>
  expect(maxDiff(got.dataSync(), want.data)).toBeLessThanOrEqual(rel * Math.max(1, maxAbs(want.data)));

describe.each(BACKENDS)('PyTorch references (%s)', (backend) => {
  let model: tf.Sequential;
  let x: tf.Tensor4D;
  beforeAll(async () => {
    await useBackend(backend);
    model = fixtureModel(f);
    x = tensor(f.x) as tf.Tensor4D;
  });
  afterAll(() => {
    x.dispose();
    model.dispose();
  });

  test('the model reproduces the logits', () => {
    const y = model.predict(x) as tf.Tensor;
    close(y, f.logits);
    y.dispose();
  });

  test('Gradient', () => {
    const r = gradient(model, x, { target: f.target });
    close(r.relevance, f.gradient);
    expect(Array.from(r.targets)).toEqual(f.target);
    tf.dispose([r.relevance, r.output]);
  });

  test('SmoothGrad with the noise passed in, in chunks smaller than the samples', () => {
    const noise = tensor(f.smoothgrad.noise);
    const r = smoothGrad(model, x, { target: f.target, noise, batchSize: 2 });
    close(r.relevance, f.smoothgrad.relevance);
    tf.dispose([r.relevance, r.output, noise]);
  });

  test('Integrated Gradients, zeros baseline (midpoint rule)', () => {
    const r = integratedGradients(model, x, { target: f.target, steps: f.igZeros.steps, rule: 'riemann-middle' });
    close(r.relevance, f.igZeros.relevance);
    tf.dispose([r.relevance, r.output]);
  });

  test('Integrated Gradients, a given baseline (right Riemann), and its completeness gap', () => {
    const baseline = tensor(f.igBaseline.baseline).squeeze([0]);
    const r = integratedGradients(model, x, {
      target: f.target,
      steps: f.igBaseline.steps,
      rule: 'riemann-right',
      baseline,
      batchSize: 3,
    });
    close(r.relevance, f.igBaseline.relevance);
    expect(maxDiff(r.completeness.gap, f.igBaseline.gap.data)).toBeLessThan(1e-3);
    tf.dispose([r.relevance, r.output, baseline]);
  });

  test('Grad-CAM on the last spatial conv (the default layer)', () => {
    const r = gradCam(model, x, { target: f.target });
    expect(r.layer).toBe(f.gradcam.layer);
    close(r.map, f.gradcam.map);
    const summed = r.relevance.sum(3);
    close(summed, f.gradcam.upsampled);
    tf.dispose([r.relevance, r.output, r.map, summed]);
  });

  test('Occlusion', () => {
    const { patch, stride, fill } = f.occlusion;
    const r = occlusion(model, x, { target: f.target, patch, stride, fill, batchSize: 5 });
    const summed = r.relevance.sum(3);
    close(summed, f.occlusion.map);
    tf.dispose([r.relevance, r.output, summed]);
  });
});
