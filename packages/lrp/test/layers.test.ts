/**
 * Layer adapters: pooling, global pooling, residual Add, padding, concatenation, preprocessing layers
 * (relevance and z^B bounds carried through), nested models, a final softmax. Hand-computed where small.
 */
import * as tf from '@tensorflow/tfjs';
import { composite, explain, lrp0, tutorialComposite, zBox, type Composite } from '../src';
import { BACKENDS, maxAbs, maxAbsDiff, rowSums, useBackend } from './helpers/backend';
import { ChannelAffine } from '@lrpjs/models';
import { dense, sequential } from './helpers/models';

const allLrp0 = (): Composite => composite({ rules: [{ match: () => true, rule: lrp0({ stabilizer: 1e-12 }) }] });

function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}

function close(actual: number[], expected: number[], tol = 1e-5) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i])).toBeLessThanOrEqual(tol));
}

function explainValues(
  model: tf.LayersModel,
  x: tf.Tensor,
  target: number,
  c: Composite,
  opts: { maxPool?: 'average' } = {},
) {
  const comp = opts.maxPool
    ? composite({ rules: [{ match: () => true, rule: lrp0({ stabilizer: 1e-12 }) }], maxPool: 'average' })
    : c;
  const res = explain(model, x, { target, composite: comp });
  const out = values(res.relevance);
  tf.dispose([res.relevance, res.output]);
  return out;
}

describe.each(BACKENDS)('layers on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it('max pooling: winner-take-all, or as average pooling', () => {
    // x = [[1, 3], [2, 0]] → max 3 → Dense ×2 → f = 6. LRP-0 on the dense: R_pool = 6.
    // winner-take-all: all 6 to the 3.  Average: z = 1.5, s = 4, c = 1 each, R = x = [1, 3, 2, 0].
    const model = sequential([
      tf.layers.maxPooling2d({ inputShape: [2, 2, 1], poolSize: 2 }),
      tf.layers.flatten(),
      dense([[2]], [0]),
    ]);
    const x = tf.tensor4d([1, 3, 2, 0], [1, 2, 2, 1]);
    close(explainValues(model, x, 0, allLrp0()), [0, 6, 0, 0]);
    close(explainValues(model, x, 0, allLrp0(), { maxPool: 'average' }), [1, 3, 2, 0]);
  });

  it('average pooling and global average pooling in proportion to the inputs', () => {
    // x = [1, 3] (1×2×1) → GAP = 2 → Dense ×1 → f = 2; LRP-0: R = x · (2/2) / 2 = [0.5, 1.5]
    const gap = sequential([tf.layers.globalAveragePooling2d({ inputShape: [1, 2, 1] }), dense([[1]], [0])]);
    close(explainValues(gap, tf.tensor4d([1, 3], [1, 1, 2, 1]), 0, allLrp0()), [0.5, 1.5]);
    // 2×2 average pooling of [[1, 3], [2, 2]] = 2 → Dense ×1 → f = 2: s = 2/2 = 1, c = 1/4, R = x/4
    const avg = sequential([
      tf.layers.averagePooling2d({ inputShape: [2, 2, 1], poolSize: 2 }),
      tf.layers.flatten(),
      dense([[1]], [0]),
    ]);
    close(explainValues(avg, tf.tensor4d([1, 3, 2, 2], [1, 2, 2, 1]), 0, allLrp0()), [0.25, 0.75, 0.5, 0.5]);
  });

  it('residual Add splits relevance in proportion to each branch (hand-computed)', () => {
    // x = [1, 2]; branch a = x (identity Dense); branch b = x·diag(1, −0.5) = [1, −1]; sum = [2, 1];
    // top Dense [1, 1] → f = 3. LRP-0: R_sum = [2, 1]; Add: R_a = [1/2·2, 2/1·1] = [1, 2],
    // R_b = [1/2·2, −1/1·1] = [1, −1]; back through the branches: [1, 2] + [1, −1] = [2, 1] (Σ = 3).
    const input = tf.input({ shape: [2] });
    const a = tf.layers.dense({ units: 2, useBias: false, name: 'branch_a' });
    const b = tf.layers.dense({ units: 2, useBias: false, name: 'branch_b' });
    const top = tf.layers.dense({ units: 1, useBias: false, name: 'top' });
    const sum = tf.layers.add().apply([a.apply(input), b.apply(input)] as tf.SymbolicTensor[]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: top.apply(sum) as tf.SymbolicTensor });
    a.setWeights([
      tf.tensor2d([
        [1, 0],
        [0, 1],
      ]),
    ]);
    b.setWeights([
      tf.tensor2d([
        [1, 0],
        [0, -0.5],
      ]),
    ]);
    top.setWeights([tf.tensor2d([[1], [1]])]);
    close(explainValues(model, tf.tensor2d([[1, 2]]), 0, allLrp0()), [2, 1]);
  });

  it('conserves relevance through a conv residual block (functional model)', () => {
    const init = (s: number) => tf.initializers.heNormal({ seed: s });
    const input = tf.input({ shape: [8, 8, 3] });
    const stem = tf.layers
      .conv2d({
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        useBias: false,
        kernelInitializer: init(1),
      })
      .apply(input) as tf.SymbolicTensor;
    const branch = tf.layers
      .conv2d({
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        useBias: false,
        kernelInitializer: init(2),
      })
      .apply(stem) as tf.SymbolicTensor;
    const branch2 = tf.layers
      .conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: init(3) })
      .apply(branch) as tf.SymbolicTensor;
    const added = tf.layers.add().apply([stem, branch2]) as tf.SymbolicTensor;
    const act = tf.layers.reLU().apply(added) as tf.SymbolicTensor;
    const pooled = tf.layers.maxPooling2d({ poolSize: 2 }).apply(act) as tf.SymbolicTensor;
    const out = tf.layers
      .dense({ units: 3, useBias: false, kernelInitializer: init(4) })
      .apply(tf.layers.flatten().apply(pooled)) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const x = tf.randomUniform([2, 8, 8, 3], -1.5, 1.5, 'float32', 5);
    for (const c of [allLrp0(), tutorialComposite({ epsilon: 1e-12 })]) {
      const res = explain(model, x, { target: 'predicted', composite: c, returnLayers: true });
      const f = res.output.arraySync();
      rowSums(res.relevance).forEach((s, i) => {
        const ft = f[i][res.targets[i]];
        expect(Math.abs(s - ft)).toBeLessThanOrEqual(1e-4 * Math.abs(ft));
      });
      // the stem's output feeds the block and the skip: its relevance is the sum of both, still Σ = f
      const stemR = res.layers!.find((l) => l.className === 'Conv2D')!.relevance;
      rowSums(stemR).forEach((s, i) =>
        expect(Math.abs(s - f[i][res.targets[i]])).toBeLessThanOrEqual(1e-4 * Math.abs(f[i][res.targets[i]])),
      );
      tf.dispose([res.relevance, res.output, ...res.layers!.map((l) => l.relevance)]);
    }
  });

  it('ZeroPadding2D and Concatenate hand relevance back to their inputs', () => {
    // x = [1, 2] (1×2×1), padded to 3×4 with zeros, flatten → Dense of ones: f = 3; LRP-0 → R = x
    const model = sequential([
      tf.layers.zeroPadding2d({
        inputShape: [1, 2, 1],
        padding: [
          [1, 1],
          [1, 1],
        ],
      }),
      tf.layers.flatten(),
      dense(
        Array.from({ length: 12 }, () => [1]),
        [0],
      ),
    ]);
    close(explainValues(model, tf.tensor4d([1, 2], [1, 1, 2, 1]), 0, allLrp0()), [1, 2]);
    // concat([x, 2x]) · [1, 1, 1, 1] = 9 for x = [1, 2]: R_x = [1, 2] + [2, 4] = [3, 6]
    const input = tf.input({ shape: [2] });
    const twice = tf.layers.dense({ units: 2, useBias: false });
    const top = tf.layers.dense({ units: 1, useBias: false });
    const cat = tf.layers.concatenate().apply([input, twice.apply(input)] as tf.SymbolicTensor[]) as tf.SymbolicTensor;
    const m2 = tf.model({ inputs: input, outputs: top.apply(cat) as tf.SymbolicTensor });
    twice.setWeights([
      tf.tensor2d([
        [2, 0],
        [0, 2],
      ]),
    ]);
    top.setWeights([tf.tensor2d([[1], [1], [1], [1]])]);
    close(explainValues(m2, tf.tensor2d([[1, 2]]), 0, allLrp0()), [3, 6]);
  });

  it('ChannelAffine: relevance passes back through the permutation, z^B bounds are carried through it', () => {
    const affine = { scale: [3, -2, 0.5], offset: [-1.5, 1, 0.25], permutation: [2, 0, 1] };
    const conv = () =>
      tf.layers.conv2d({
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed: 3 }),
        biasInitializer: tf.initializers.constant({ value: 0.1 }),
      });
    const head = () => [
      tf.layers.flatten(),
      tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.heNormal({ seed: 4 }) }),
    ];
    const withAffine = tf.sequential({
      layers: [new ChannelAffine({ ...affine, inputShape: [5, 5, 3] }), conv(), ...head()],
    });
    const plain = tf.sequential({
      layers: [tf.layers.conv2d({ ...conv().getConfig(), inputShape: [5, 5, 3] } as never), ...head()],
    });
    plain.setWeights(withAffine.getWeights());
    const x = tf.randomUniform([2, 5, 5, 3], 0, 1, 'float32', 6);
    // model input bounds [0, 1] map to per-channel bounds of the conv input: channel c reads input
    // channel perm[c] and scales it: c0: [−1.5, 1.5], c1: [−1, 1] (scale −2 swaps), c2: [0.25, 0.75]
    const low = [0, 0, 0];
    const high = [1, 1, 1];
    const a = explain(withAffine, x, {
      target: 1,
      composite: composite({
        rules: [
          { match: { position: 'first' }, rule: zBox({ low, high }) },
          { match: () => true, rule: lrp0() },
        ],
      }),
    });
    const xAffine = withAffine.layers[0].apply(x) as tf.Tensor;
    const b = explain(plain, xAffine, {
      target: 1,
      composite: composite({
        rules: [
          { match: { position: 'first' }, rule: zBox({ low: [-1.5, -1, 0.25], high: [1.5, 1, 0.75], space: 'layer' }) },
          { match: () => true, rule: lrp0() },
        ],
      }),
    });
    // relevance of conv-input channel c belongs to model-input channel perm[c]
    const back = tf.gather(b.relevance, [1, 2, 0], 3); // model channel j ← conv channel c with perm[c] = j
    expect(maxAbsDiff(a.relevance, back)).toBeLessThanOrEqual(1e-5 * maxAbs(back));
    expect(maxAbs(back)).toBeGreaterThan(0);
    tf.dispose([x, xAffine, back, a.relevance, a.output, b.relevance, b.output]);
  });

  it('Rescaling: bounds carried through (x·3 − 1.5 with pixel bounds [0, 1] = tutorial bounds ±1.5)', () => {
    const conv = tf.layers.conv2d({
      filters: 3,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: tf.initializers.heNormal({ seed: 7 }),
    });
    const withRescale = tf.sequential({
      layers: [
        tf.layers.rescaling({ inputShape: [6, 6, 3], scale: 3, offset: -1.5 }),
        conv,
        tf.layers.flatten(),
        tf.layers.dense({ units: 2 }),
      ],
    });
    const plain = tf.sequential({
      layers: [
        tf.layers.conv2d({ ...conv.getConfig(), inputShape: [6, 6, 3] } as never),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2 }),
      ],
    });
    plain.setWeights(withRescale.getWeights());
    const pixels = tf.randomUniform([2, 6, 6, 3], 0, 1, 'float32', 8);
    const a = explain(withRescale, pixels, { target: 0, composite: tutorialComposite({ lowest: 0, highest: 1 }) });
    const normalized = tf.sub(tf.mul(pixels, 3), 1.5);
    const b = explain(plain, normalized, { target: 0, composite: tutorialComposite() });
    expect(maxAbsDiff(a.relevance, b.relevance)).toBeLessThanOrEqual(1e-5 * maxAbs(b.relevance));
    tf.dispose([pixels, normalized, a.relevance, a.output, b.relevance, b.output]);
  });

  it('nested models are flattened: same relevance as the flat model', () => {
    const init = (s: number) => tf.initializers.heNormal({ seed: s });
    const body = () => [
      tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
    ];
    const head = () => [tf.layers.flatten(), tf.layers.dense({ units: 3, kernelInitializer: init(2) })];
    const backbone = tf.sequential({
      layers: [tf.layers.inputLayer({ inputShape: [6, 6, 3] }), ...body()],
      name: 'backbone',
    });
    const input = tf.input({ shape: [6, 6, 3] });
    const [flatten, top] = head();
    const nested = tf.model({
      inputs: input,
      outputs: top.apply(flatten.apply(backbone.apply(input))) as tf.SymbolicTensor,
    });
    const flat = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [6, 6, 3] }), ...body(), ...head()] });
    flat.setWeights(nested.getWeights());
    const x = tf.randomUniform([2, 6, 6, 3], -1.5, 1.5, 'float32', 9);
    const a = explain(nested, x, { target: [0, 2], returnLayers: true });
    const b = explain(flat, x, { target: [0, 2] });
    expect(maxAbsDiff(a.relevance, b.relevance)).toBeLessThanOrEqual(1e-6 * maxAbs(b.relevance));
    expect(a.layers!.map((l) => l.name)).toContain(
      `backbone/${backbone.layers.find((l) => l.getClassName() === 'Conv2D')!.name}`,
    );
    tf.dispose([x, a.relevance, a.output, b.relevance, b.output, ...a.layers!.map((l) => l.relevance)]);
  });

  it('a final softmax is skipped: relevance starts from the logits', () => {
    const mk = (activation: 'softmax' | 'linear') =>
      tf.sequential({
        layers: [
          tf.layers.dense({
            inputShape: [4],
            units: 3,
            activation,
            kernelInitializer: tf.initializers.heNormal({ seed: 1 }),
          }),
        ],
      });
    const soft = mk('softmax');
    const lin = mk('linear');
    lin.setWeights(soft.getWeights());
    const x = tf.randomNormal([2, 4], 0, 1, 'float32', 2);
    const a = explain(soft, x, { target: 1, composite: allLrp0() });
    const b = explain(lin, x, { target: 1, composite: allLrp0() });
    expect(maxAbsDiff(a.relevance, b.relevance)).toBeLessThan(1e-6);
    expect(maxAbsDiff(a.output, b.output)).toBeLessThan(1e-6);
    tf.dispose([x, a.relevance, a.output, b.relevance, b.output]);
  });
});
