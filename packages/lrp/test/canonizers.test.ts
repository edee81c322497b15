/**
 * BatchNormalization folding leaves the model output unchanged and gives the relevance of the model
 * with the folded weights written out by hand; fused activations are split so rules see z.
 */
import * as tf from '@tensorflow/tfjs';
import { explain, tutorialComposite } from '../src';
import { BACKENDS, maxAbs, maxAbsDiff, useBackend } from './helpers/backend';

const init = (s: number) => tf.initializers.heNormal({ seed: s });

/** Non-trivial BatchNorm statistics: gamma, beta, moving mean, moving variance. */
function setBatchNorm(layer: tf.layers.Layer, channels: number, seed: number) {
  const [gamma, beta, mean, variance] = [
    tf.randomUniform([channels], 0.5, 2, 'float32', seed),
    tf.randomNormal([channels], 0, 0.3, 'float32', seed + 1),
    tf.randomNormal([channels], 0, 0.3, 'float32', seed + 2),
    tf.randomUniform([channels], 0.2, 3, 'float32', seed + 3),
  ];
  layer.setWeights([gamma, beta, mean, variance]);
  tf.dispose([gamma, beta, mean, variance]);
}

/** W' = W·γ/√(σ²+ε) per output channel, b' = (b − μ)·γ/√(σ²+ε) + β — the folding formula. */
function foldedAfter(kernel: tf.Tensor, bias: tf.Tensor, bn: tf.layers.Layer): [tf.Tensor, tf.Tensor] {
  return tf.tidy(() => {
    const [g, beta, mean, variance] = bn.getWeights();
    const eps = (bn.getConfig().epsilon as number) ?? 1e-3;
    const scale = tf.div(g, tf.sqrt(tf.add(variance, eps)));
    return [tf.mul(kernel, scale), tf.add(tf.mul(tf.sub(bias, mean), scale), beta)];
  });
}

describe.each(BACKENDS)('canonizers on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it('Conv2D → BatchNorm → ReLU: output unchanged, relevance = hand-folded model', () => {
    const conv = tf.layers.conv2d({
      inputShape: [8, 8, 3],
      filters: 5,
      kernelSize: 3,
      padding: 'same',
      kernelInitializer: init(1),
      biasInitializer: tf.initializers.constant({ value: 0.1 }),
    });
    const bn = tf.layers.batchNormalization({ epsilon: 1e-3 });
    const model = tf.sequential({
      layers: [
        conv,
        bn,
        tf.layers.reLU(),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 4, kernelInitializer: init(2) }),
      ],
    });
    setBatchNorm(bn, 5, 10);
    const x = tf.randomUniform([3, 8, 8, 3], -1.5, 1.5, 'float32', 3);
    const res = explain(model, x, { target: [0, 1, 3] });
    const predicted = model.predict(x) as tf.Tensor;
    expect(maxAbsDiff(res.output, predicted)).toBeLessThanOrEqual(1e-5 * maxAbs(predicted));

    const [k, b] = foldedAfter(conv.getWeights()[0], conv.getWeights()[1], bn);
    const folded = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 5, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 4 }),
      ],
    });
    folded.setWeights([k, b, ...model.layers[5].getWeights()]);
    const ref = explain(folded, x, { target: [0, 1, 3] });
    expect(maxAbsDiff(res.relevance, ref.relevance)).toBeLessThanOrEqual(1e-4 * maxAbs(ref.relevance));
    tf.dispose([x, predicted, k, b, res.relevance, res.output, ref.relevance, ref.output]);
  });

  it('Dense → BatchNorm and BatchNorm → Dense: output unchanged, relevance conserved', () => {
    const bn1 = tf.layers.batchNormalization({});
    const bn2 = tf.layers.batchNormalization({});
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [6], units: 8, kernelInitializer: init(3), useBias: false }),
        bn1,
        tf.layers.reLU(),
        bn2, // folded into the next Dense
        tf.layers.dense({ units: 3, kernelInitializer: init(4) }),
      ],
    });
    setBatchNorm(bn1, 8, 20);
    setBatchNorm(bn2, 8, 30);
    const x = tf.randomNormal([4, 6], 0, 1, 'float32', 5);
    const res = explain(model, x, { target: 'predicted', returnLayers: true });
    const predicted = model.predict(x) as tf.Tensor;
    expect(maxAbsDiff(res.output, predicted)).toBeLessThanOrEqual(1e-5 * maxAbs(predicted));
    expect(res.layers!.map((l) => l.className)).toEqual([
      'InputLayer',
      'Dense',
      'BatchNormalization',
      'ReLU',
      'BatchNormalization',
      'Dense',
    ]);
    tf.dispose([x, predicted, res.relevance, res.output, ...res.layers!.map((l) => l.relevance)]);
  });

  it('refuses a BatchNorm it cannot fold exactly, naming the layer', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [6, 6, 3], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tf.layers.batchNormalization({ name: 'bn_after_relu' }),
        tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same' }), // 'same' padding: not exact
        tf.layers.flatten(),
      ],
    });
    const x = tf.zeros([1, 6, 6, 3]);
    expect(() => explain(model, x, { target: 0, composite: tutorialComposite() })).toThrow(
      /bn_after_relu.*cannot be folded/,
    );
    x.dispose();
  });
});
