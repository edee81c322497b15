/**
 * Rules that stay stable: the Add split's stabilizer per composite, a final sigmoid skipped like a
 * softmax, NaN relevance reported with the layer where it appeared, and per-layer diagnostics — all
 * against hand-computed values.
 */
import * as tf from '@tensorflow/tfjs';
import { composite, equalSplit, explain, generalRule, lrp0, proportional, type Composite } from '../src';
import { BACKENDS, rowSums, useBackend } from './helpers/backend';

/** x ∈ R² → d = 2x (dense, no bias) → s = x + d → f = s₁ + s₂ (dense, no bias). */
function residualModel(): tf.LayersModel {
  const input = tf.input({ shape: [2] });
  const double = tf.layers.dense({ units: 2, useBias: false, name: 'double' });
  const sum = tf.layers.add({ name: 'sum' });
  const top = tf.layers.dense({ units: 1, useBias: false, name: 'top' });
  const s = sum.apply([input, double.apply(input) as tf.SymbolicTensor]) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: top.apply(s) as tf.SymbolicTensor });
  double.setWeights([
    tf.tensor2d([
      [2, 0],
      [0, 2],
    ]),
  ]);
  top.setWeights([tf.tensor2d([[1], [1]])]);
  return model;
}

function withAdd(rule: ReturnType<typeof proportional>): Composite {
  return composite({
    name: `lrp0+${rule.name}`,
    rules: [{ match: () => true, rule: lrp0() }],
    nodeRules: [{ match: { kind: 'add' }, rule }],
  });
}

describe.each(BACKENDS)('stability on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it('splits at Add with the stabilizer the composite gives (x = [1, 2], ε = 1: R = [2.25, 36/7])', () => {
    const model = residualModel();
    const x = tf.tensor2d([[1, 2]]);
    // s = [3, 6], R_s = [3, 6]; direct: x/(s+1)·R_s = [0.75, 12/7]; branch: 2x/(s+1)·R_s = [1.5, 24/7].
    const wide = explain(model, x, {
      target: 0,
      composite: withAdd(proportional({ stabilizer: { epsilon: 1, mode: 'sign' } })),
    });
    const got = Array.from(wide.relevance.dataSync());
    expect(got[0]).toBeCloseTo(2.25, 5);
    expect(got[1]).toBeCloseTo(36 / 7, 5);
    // The default (±1e-6) and an equal split both conserve here: R = 3x.
    for (const rule of [proportional(), equalSplit()]) {
      const r = explain(model, x, { target: 0, composite: withAdd(rule) });
      const v = Array.from(r.relevance.dataSync());
      expect(v[0]).toBeCloseTo(3, 4);
      expect(v[1]).toBeCloseTo(6, 4);
      tf.dispose([r.relevance, r.output]);
    }
    tf.dispose([x, wide.relevance, wide.output]);
    model.dispose();
  });

  it('reports per-layer relevance sums: the Add absorbs 9 − (2.25 + 36/7) with ε = 1', () => {
    const model = residualModel();
    const x = tf.tensor2d([[1, 2]]);
    const c = withAdd(proportional({ stabilizer: { epsilon: 1, mode: 'sign' } }));
    const before = tf.memory().numTensors;
    const res = explain(model, x, { target: 0, composite: c, diagnostics: true });
    const d = res.diagnostics!;
    expect(d.start[0]).toBeCloseTo(9, 5);
    expect(d.input[0]).toBeCloseTo(2.25 + 36 / 7, 4);
    expect(d.ratio[0]).toBeCloseTo((2.25 + 36 / 7) / 9, 5);
    const add = d.layers.find((l) => l.kind === 'add')!;
    expect(add.rule).toBe('proportional');
    expect(add.relevanceOut[0]).toBeCloseTo(9, 5);
    expect(add.absorbed[0]).toBeCloseTo(9 - 2.25 - 36 / 7, 4);
    for (const l of d.layers.filter((q) => q.kind === 'linear')) expect(Math.abs(l.absorbed[0])).toBeLessThan(1e-5);
    tf.dispose([res.relevance, res.output]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
    model.dispose();
  });

  it('skips a final sigmoid like a softmax, and explains the probability on request', () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [2], units: 1, useBias: false, activation: 'sigmoid' })],
    });
    model.layers[0].setWeights([tf.tensor2d([[1], [-3]])]);
    const x = tf.tensor2d([[1, 1]]); // logit −2, sigmoid 0.1192
    const logit = explain(model, x, { target: 0, composite: withAdd(proportional()) });
    expect(logit.output.dataSync()[0]).toBeCloseTo(-2, 5);
    const r = Array.from(logit.relevance.dataSync());
    expect(r[0]).toBeCloseTo(1, 5); // a·w: evidence keeps its sign
    expect(r[1]).toBeCloseTo(-3, 5);
    const prob = explain(model, x, { target: 0, composite: withAdd(proportional()), explainProbability: true });
    const p = 1 / (1 + Math.exp(2));
    expect(prob.output.dataSync()[0]).toBeCloseTo(p, 5);
    expect(rowSums(prob.relevance)[0]).toBeCloseTo(p, 5);
    tf.dispose([x, logit.relevance, logit.output, prob.relevance, prob.output]);
    model.dispose();
  });

  it('fails when relevance diverges (finite but far past the logit), naming the layer; divergenceLimit lifts it', () => {
    const model = residualModel();
    const x = tf.tensor2d([[1, 2]]);
    // z·1e-8 as the denominator: the branch through "double" hands on 1e8 × its relevance.
    const amplifier = composite({
      name: 'amplifier',
      rules: [
        { match: { name: 'double' }, rule: generalRule({ name: 'amplifier', stabilizer: (z) => tf.mul(z, 1e-8) }) },
        { match: () => true, rule: lrp0() },
      ],
    });
    const before = tf.memory().numTensors;
    expect(() => explain(model, x, { target: 0, composite: amplifier })).toThrow(
      /relevance diverged: .* first at layer "double" \(Dense, rule amplifier\), with composite amplifier\. .*createComposite\('epsilon-plus'\)/,
    );
    expect(tf.memory().numTensors).toBe(before);
    // By hand: f = 9; the Add hands [1, 2] to the input and [2, 4] to "double", which multiplies by 1e8.
    const r = explain(model, x, { target: 0, composite: amplifier, divergenceLimit: Infinity });
    expect(rowSums(r.relevance)[0] / 6e8).toBeCloseTo(1, 4);
    // Below the limit: the same call passes.
    const passed = explain(model, x, { target: 0, composite: amplifier, divergenceLimit: 1e8 });
    tf.dispose([x, r.relevance, r.output, passed.relevance, passed.output]);
    model.dispose();
  });

  it('fails with the layer where relevance stopped being finite, never a NaN heatmap', () => {
    const model = residualModel();
    const x = tf.tensor2d([[1, 2]]);
    const broken = composite({
      name: 'broken',
      rules: [
        { match: { name: 'double' }, rule: generalRule({ name: 'zero-denominator', stabilizer: (z) => tf.mul(z, 0) }) },
        { match: () => true, rule: lrp0() },
      ],
    });
    const before = tf.memory().numTensors;
    expect(() => explain(model, x, { target: 0, composite: broken })).toThrow(
      /NaN or infinite at layer "double" \(Dense, rule zero-denominator\)/,
    );
    // A residual model: the message names the preset recommended for it.
    expect(() => explain(model, x, { target: 0, composite: broken })).toThrow(
      /with composite broken\. .*createComposite\('epsilon-plus'\)/,
    );
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
    model.dispose();
  });
});
