/** The explain API: targets, shared forward pass for several targets, errors, memory. */
import * as tf from '@tensorflow/tfjs';
import { composite, explain, gamma, disposeCache, tutorialComposite, epsilonPlus } from '../src';
import { BACKENDS, maxAbs, maxAbsDiff, useBackend } from './helpers/backend';
import { randomConvNet } from './helpers/models';

describe.each(BACKENDS)('explain on %s', (backend) => {
  let model: tf.Sequential;
  let x: tf.Tensor4D;
  beforeAll(async () => {
    await useBackend(backend);
    model = randomConvNet({ seed: 5 });
    x = tf.randomUniform([3, 12, 12, 3], -1.5, 1.5, 'float32', 2) as tf.Tensor4D;
  });
  afterAll(() => {
    disposeCache(model);
    x.dispose();
  });

  it('several targets per image in one call equal one call per target', () => {
    const many = explain(model, x, {
      target: [
        [0, 4],
        [1, 2],
        [3, 3],
      ],
    });
    expect(many.relevance.shape).toEqual([6, 12, 12, 3]);
    expect(Array.from(many.targets)).toEqual([0, 4, 1, 2, 3, 3]);
    const first = explain(model, x, { target: [0, 1, 3] });
    const second = explain(model, x, { target: [4, 2, 3] });
    const rows = (t: tf.Tensor, idx: number[]) => tf.gather(t, idx);
    expect(maxAbsDiff(rows(many.relevance, [0, 2, 4]), first.relevance)).toBeLessThanOrEqual(
      1e-6 * maxAbs(first.relevance),
    );
    expect(maxAbsDiff(rows(many.relevance, [1, 3, 5]), second.relevance)).toBeLessThanOrEqual(
      1e-6 * maxAbs(second.relevance),
    );
    tf.dispose([many.relevance, many.output, first.relevance, first.output, second.relevance, second.output]);
  });

  it("'predicted', a single index and a one-hot tensor agree", () => {
    const predicted = explain(model, x, { target: 'predicted' });
    const classes = Array.from(tf.tidy(() => tf.argMax(predicted.output, 1).dataSync()));
    expect(Array.from(predicted.targets)).toEqual(classes);
    const oneHot = tf.oneHot(tf.tensor1d(classes, 'int32'), 5);
    const viaTensor = explain(model, x, { target: oneHot });
    expect(maxAbsDiff(viaTensor.relevance, predicted.relevance)).toBe(0);
    const same = explain(model, x, { target: 2 });
    expect(Array.from(same.targets)).toEqual([2, 2, 2]);
    tf.dispose([
      oneHot,
      predicted.relevance,
      predicted.output,
      viaTensor.relevance,
      viaTensor.output,
      same.relevance,
      same.output,
    ]);
  });

  it('outputValues read by the caller: no read-back of the forward pass, the same relevance', () => {
    const plain = explain(model, x, { target: 'predicted' });
    // Softmax changes the values, not the arg-max per row: the same classes are explained.
    const probs = tf.tidy(() => tf.softmax(model.predict(x) as tf.Tensor2D).dataSync() as Float32Array);
    const expected = Array.from(tf.tidy(() => tf.argMax(model.predict(x) as tf.Tensor2D, 1).dataSync()));
    const given = explain(model, x, { target: 'predicted', outputValues: probs });
    expect(Array.from(given.targets)).toEqual(expected);
    expect(maxAbsDiff(given.relevance, plain.relevance)).toBe(0);
    expect(() => explain(model, x, { target: 0, outputValues: new Float32Array(4) })).toThrow(
      /outputValues has 4 values but the output is 3×5/,
    );
    expect(() => explain(model, x, { target: 0, outputValues: new Float32Array(15).fill(Number.NaN) })).toThrow(
      /NaN or infinite/,
    );
    tf.dispose([plain.relevance, plain.output, given.relevance, given.output]);
  });

  it('clear errors for bad targets and inputs', () => {
    expect(() => explain(model, x, { target: 5 })).toThrow(/target 5 is out of range; the model has 5 outputs/);
    expect(() => explain(model, x, { target: [0, 1] })).toThrow(/one per image \(3\)/);
    expect(() => explain(model, x, { target: [[0], [1, 2], [3]] })).toThrow(/same number/);
    expect(() => explain(model, x, { target: [0, -1, 2] })).toThrow(/target -1 \(image 1\) is out of range/);
    const wrong = tf.zeros([2, 10, 10, 3]);
    expect(() => explain(model, wrong, { target: 0 })).toThrow(
      /x has shape \[2,10,10,3\] but the model expects \[null,12,12,3\]/,
    );
    const single = tf.zeros([12, 12, 3]);
    expect(() => explain(model, single as never, { target: 0 })).toThrow(/expandDims/);
    const ints = tf.zeros([1, 12, 12, 3], 'int32');
    expect(() => explain(model, ints, { target: 0 })).toThrow(/cast it to float32/);
    tf.dispose([wrong, single, ints]);
  });

  it('clear errors for unsupported models', () => {
    const upsample = tf.sequential({
      layers: [
        tf.layers.permute({ inputShape: [4, 4, 1], dims: [2, 1, 3], name: 'swap' }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2 }),
      ],
    });
    const z = tf.zeros([1, 4, 4, 1]);
    expect(() => explain(upsample, z, { target: 0 })).toThrow(/layer "swap" of class Permute is not supported/);
    const a = tf.input({ shape: [2] });
    const b = tf.input({ shape: [2] });
    const two = tf.model({ inputs: [a, b], outputs: tf.layers.add().apply([a, b]) as tf.SymbolicTensor });
    expect(() => explain(two, tf.zeros([1, 2]), { target: 0 })).toThrow(/2 inputs and 1 outputs/);
    const noRule = composite({ name: 'pool-only', rules: [{ match: { type: 'maxpool' }, rule: gamma() }] });
    expect(() => explain(model, x, { target: 0, composite: noRule })).toThrow(
      /composite "pool-only" has no rule for layer "dense_\w+" \(Dense\)/,
    );
    const broken = randomConvNet({ seed: 6 });
    const w = broken.layers[7].getWeights();
    broken.layers[7].setWeights([tf.fill(w[0].shape, NaN), w[1]]);
    expect(() => explain(broken, x, { target: 0 })).toThrow(/NaN or infinite/);
    tf.dispose([z]);
  });

  it('1000 calls leave tf.memory().numTensors unchanged', () => {
    const tiny = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3 }),
      ],
    });
    const v = tf.randomUniform([2, 6, 6, 2], -1.5, 1.5);
    const call = (c = tutorialComposite()) => {
      const r = explain(tiny, v, {
        target: [
          [0, 1],
          [2, 0],
        ],
        composite: c,
        returnLayers: true,
      });
      tf.dispose([r.relevance, r.output, ...r.layers!.map((l) => l.relevance)]);
    };
    call();
    call(epsilonPlus());
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) call(i % 2 ? tutorialComposite() : epsilonPlus());
    expect(tf.memory().numTensors).toBe(before);
    // composites made per call (no key) are evicted from the cache with their tensors
    for (let i = 0; i < 20; i++) call(composite({ rules: [{ match: () => true, rule: gamma() }] }));
    disposeCache(tiny);
    const afterDispose = tf.memory().numTensors;
    call();
    disposeCache(tiny);
    expect(tf.memory().numTensors).toBe(afterDispose);
    v.dispose();
  });

  it('cached modified weights follow weight updates', () => {
    const m = randomConvNet({ seed: 8 });
    const r1 = explain(m, x, { target: 1 });
    const dense = m.layers[7];
    const [k, b] = dense.getWeights();
    const doubled = tf.mul(k, 2);
    dense.setWeights([doubled, b]);
    const r2 = explain(m, x, { target: 1 });
    // the top layer's kernel doubled: a fresh cache must see it (the outputs double up to the bias)
    const expected = m.predict(x) as tf.Tensor;
    expect(maxAbsDiff(r2.output, expected)).toBeLessThanOrEqual(1e-5 * maxAbs(expected));
    expect(maxAbsDiff(r1.relevance, r2.relevance)).toBeGreaterThan(0);
    tf.dispose([doubled, expected, r1.relevance, r1.output, r2.relevance, r2.output]);
    disposeCache(m);
  });
});
