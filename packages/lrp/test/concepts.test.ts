/**
 * Concept Relevance Propagation: conditioning a layer's relevance on channels (and regions) partitions
 * it, and LRP's backward pass is linear in the upper relevance, so the conditional heatmaps of all
 * channels of a layer add up to the plain heatmap, element by element, for every composite.
 */
import * as tf from '@tensorflow/tfjs';
import {
  composite,
  conceptHeatmaps,
  conceptStatistics,
  conceptsInRegion,
  epsilonPlus,
  explain,
  lrp0,
  neuronHeatmaps,
  rankConcepts,
  ReferenceCollector,
  relevanceBox,
  tutorialComposite,
  type Composite,
} from '../src';
import { BACKENDS, maxAbs, maxAbsDiff, rowSums, useBackend } from './helpers/backend';
import { randomConvNet } from './helpers/models';

/** Rows i·C + c (image-major) summed over c: [N·C, …] → [N, …]. */
function sumConcepts(r: tf.Tensor, count: number): tf.Tensor {
  return tf.tidy(() => tf.sum(tf.reshape(r, [r.shape[0] / count, count, ...r.shape.slice(1)]), 1));
}

/** The tutorial's net1 layout (64×64 RGB, 19 classes) with random weights and biases. */
function net1Shaped(seed: number): tf.Sequential {
  const init = (s: number) => tf.initializers.heNormal({ seed: seed * 10 + s });
  const bias = (s: number) => tf.initializers.randomNormal({ stddev: 0.05, seed: seed * 10 + s + 5 });
  const conv = (filters: number, kernelSize: number, s: number, extra = {}) =>
    tf.layers.conv2d({ filters, kernelSize, kernelInitializer: init(s), biasInitializer: bias(s), ...extra });
  return tf.sequential({
    layers: [
      conv(10, 5, 1, { inputShape: [64, 64, 3], padding: 'same', name: 'conv1' }),
      tf.layers.reLU({ name: 'relu1' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
      conv(25, 5, 2, { padding: 'same', name: 'conv2' }),
      tf.layers.reLU({ name: 'relu2' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }),
      conv(100, 5, 3, { padding: 'same', name: 'conv3' }),
      tf.layers.reLU({ name: 'relu3' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool3' }),
      conv(19, 8, 4, { name: 'conv4' }),
      tf.layers.flatten({ name: 'flatten' }),
    ],
  });
}

function allChannels(k: number): number[] {
  return Array.from({ length: k }, (_, c) => c);
}

/** max |Σ_c R_c − R| relative to max |R|, for all channels of `layer`. */
function conservationError(model: tf.LayersModel, x: tf.Tensor4D, layer: string, c: Composite, target: number[]) {
  const k = (model.getLayer(layer).outputShape as number[]).slice(-1)[0];
  const plain = explain(model, x, { target, composite: c });
  const cond = conceptHeatmaps(model, x, { target, layer, channels: allChannels(k), composite: c });
  const sum = sumConcepts(cond.relevance, k);
  const err = maxAbsDiff(sum, plain.relevance) / maxAbs(plain.relevance);
  tf.dispose([plain.relevance, plain.output, cond.relevance, cond.output, sum]);
  return err;
}

describe.each(BACKENDS)('conditional relevance on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  const composites: [string, () => Composite][] = [
    ['tutorial', () => tutorialComposite()],
    ['EpsilonPlus', () => epsilonPlus()],
    ['LRP-0', () => composite({ rules: [{ match: () => true, rule: lrp0() }] })],
  ];

  it.each(composites)('%s: channel heatmaps of a layer add up to the plain heatmap (random nets)', (_n, make) => {
    for (const seed of backend === 'cpu' ? [1] : [1, 2]) {
      const model = randomConvNet({ seed, size: 12 });
      const x = tf.randomUniform([2, 12, 12, 3], -1.5, 1.5, 'float32', seed) as tf.Tensor4D;
      // every layer with channels: convs (masked before and after their ReLU), pooling, dense units
      for (const layer of model.layers.slice(0, -1)) {
        expect(conservationError(model, x, layer.name, make(), [0, 2])).toBeLessThan(1e-5);
      }
      x.dispose();
      model.dispose();
    }
  });

  // 100 backward passes at 64×64: too slow for the pure-JS cpu backend on a busy machine.
  (backend === 'wasm' ? it : it.skip)('net1-shaped nets: all 100 channels of conv3, all 25 of relu2 add up', () => {
    for (const seed of [1, 2]) {
      const model = net1Shaped(seed);
      const x = tf.randomUniform([1, 64, 64, 3], -1.5, 1.5, 'float32', seed) as tf.Tensor4D;
      expect(conservationError(model, x, 'conv3', tutorialComposite(), [3 * seed])).toBeLessThan(1e-5);
      expect(conservationError(model, x, 'relu2', tutorialComposite(), [3 * seed])).toBeLessThan(1e-5);
      x.dispose();
      model.dispose();
    }
  });

  it("each concept's relevance at its layer is its share; with conserving rules it reaches the input", () => {
    const model = randomConvNet({ seed: 4, size: 12, zeroBias: true });
    const x = tf.randomUniform([2, 12, 12, 3], -1.5, 1.5, 'float32', 4) as tf.Tensor4D;
    const layer = model.layers[2].name; // second conv, 8 channels
    const c = composite({ rules: [{ match: () => true, rule: lrp0({ stabilizer: 1e-12 }) }] });
    const plain = explain(model, x, { target: 'predicted', composite: c, returnLayers: true });
    const atLayer = plain.layers!.find((l) => l.name === layer)!.relevance;
    // the channel's total from the unconditioned pass (independent of the masking)
    const perChannel = tf.tidy(() => tf.sum(atLayer, [1, 2]).arraySync() as number[][]);
    const cond = explain(model, x, {
      target: 'predicted',
      composite: c,
      returnLayers: true,
      conditions: allChannels(8).map((ch) => ({ layer, channels: [ch] })),
    });
    expect(cond.conditionsPerImage).toBe(8);
    expect(Array.from(cond.targets)).toEqual(Array.from(plain.targets).flatMap((t) => new Array(8).fill(t)));
    const condAtLayer = cond.layers!.find((l) => l.name === layer)!.relevance;
    const layerTotals = rowSums(condAtLayer);
    const inputTotals = rowSums(cond.relevance);
    for (let i = 0; i < 2; i++) {
      for (let ch = 0; ch < 8; ch++) {
        const want = perChannel[i][ch];
        expect(layerTotals[i * 8 + ch]).toBeCloseTo(want, 5);
        expect(Math.abs(inputTotals[i * 8 + ch] - want)).toBeLessThan(1e-4 * (Math.abs(want) + 1e-3));
      }
    }
    // the ranking reports the same totals, shares summing to 1
    const ranking = rankConcepts(model, x, { target: 'predicted', layer, composite: c });
    ranking.forEach((r, i) => {
      expect(r.concepts.map((s) => s.relevance)).toEqual([...perChannel[i]].sort((a, b) => b - a).map(expect.closeTo));
      expect(r.concepts.reduce((s, q) => s + q.share, 0)).toBeCloseTo(1, 5);
    });
    tf.dispose([x, plain.relevance, plain.output, cond.relevance, cond.output]);
    tf.dispose([...plain.layers!.map((l) => l.relevance), ...cond.layers!.map((l) => l.relevance)]);
    model.dispose();
  });

  it('several targets × several conditions: row (i·T + j)·C + c equals that single explanation', () => {
    const model = randomConvNet({ seed: 5, size: 12 });
    const x = tf.randomUniform([2, 12, 12, 3], -1.5, 1.5, 'float32', 5) as tf.Tensor4D;
    const layer = model.layers[0].name;
    const conditions = [
      { layer, channels: [1, 4] },
      [
        { layer, channels: [0] },
        { layer: model.layers[2].name, channels: [3, 5] },
      ],
      { layer, region: { y0: 0, x0: 0, y1: 6, x1: 12 } },
    ];
    const targets = [
      [0, 3],
      [2, 1],
    ];
    const all = explain(model, x, { target: targets, conditions });
    expect(all.relevance.shape[0]).toBe(2 * 2 * 3);
    for (let i = 0; i < 2; i++) {
      const xi = tf.slice(x, [i, 0, 0, 0], [1, -1, -1, -1]);
      for (let j = 0; j < 2; j++) {
        conditions.forEach((cond, c) => {
          const one = explain(model, xi, { target: targets[i][j], conditions: [cond] });
          const row = tf.slice(all.relevance, [(i * 2 + j) * 3 + c, 0, 0, 0], [1, -1, -1, -1]);
          expect(maxAbsDiff(row, one.relevance)).toBeLessThanOrEqual(1e-6 * (maxAbs(one.relevance) + 1e-9));
          tf.dispose([row, one.relevance, one.output]);
        });
      }
      xi.dispose();
    }
    tf.dispose([x, all.relevance, all.output]);
    model.dispose();
  });

  it('regions that tile the layer add up to the whole channel (local analysis)', () => {
    const model = randomConvNet({ seed: 6, size: 12 });
    const x = tf.randomUniform([1, 12, 12, 3], -1.5, 1.5, 'float32', 6) as tf.Tensor4D;
    const layer = model.layers[0].name; // 12×12 grid
    const whole = conceptHeatmaps(model, x, { target: 1, layer, channels: [2] });
    const quarters = [
      { y0: 0, x0: 0, y1: 5, x1: 7 },
      { y0: 0, x0: 7, y1: 5, x1: 12 },
      { y0: 5, x0: 0, y1: 12, x1: 7 },
      { y0: 5, x0: 7, y1: 12, x1: 12 },
    ];
    const parts = explain(model, x, {
      target: 1,
      conditions: quarters.map((region) => ({ layer, channels: [2], region })),
    });
    const sum = sumConcepts(parts.relevance, 4);
    expect(maxAbsDiff(sum, whole.relevance)).toBeLessThan(1e-5 * maxAbs(whole.relevance));
    // one quarter differs from the whole (the region mask did act)
    const first = tf.slice(parts.relevance, [0, 0, 0, 0], [1, -1, -1, -1]);
    expect(maxAbsDiff(first, whole.relevance)).toBeGreaterThan(1e-3 * maxAbs(whole.relevance));
    // regions in input pixels cover the cells they overlap; scores in a region add up to its heatmap
    const local = conceptsInRegion(model, x, { target: 1, layer, region: { y0: 2, x0: 3, y1: 8, x1: 9 }, batch: 4 });
    expect(local[0]).toHaveLength(6);
    expect(local[0].reduce((s, q) => s + q.share, 0)).toBeCloseTo(1, 4);
    tf.dispose([x, whole.relevance, whole.output, parts.relevance, parts.output, sum, first]);
    model.dispose();
  });

  it('neuron heatmaps: one cell of one channel, inside its receptive field, ∝ its conditional heatmap', () => {
    const model = randomConvNet({ seed: 7, size: 12 });
    const x = tf.randomUniform([2, 12, 12, 3], -1.5, 1.5, 'float32', 7) as tf.Tensor4D;
    const layer = model.layers[0].name; // 3×3 conv, 'same': a cell's receptive field is 3×3
    const cells = [5 * 12 + 6, 0];
    const maps = neuronHeatmaps(model, x, { layer, channels: [0, 3], cells });
    expect(maps).toHaveLength(2 * 12 * 12);
    for (let p = 0; p < 144; p++) {
      const [y, xx] = [Math.floor(p / 12), p % 12];
      if (Math.abs(y - 5) > 1 || Math.abs(xx - 6) > 1) expect(maps[p]).toBe(0);
      if (y > 1 || xx > 1) expect(maps[144 + p]).toBe(0);
    }
    // the same neuron through explain's conditions (from the output down) differs by one factor
    const deep = model.layers[2].name;
    const one = neuronHeatmaps(model, x, { layer: deep, channels: [1, 1], cells: [4, 4] });
    const cond = explain(model, x, {
      target: [1, 1],
      conditions: [{ layer: deep, channels: [1], region: { y0: 1, x0: 1, y1: 2, x1: 2, units: 'layer' } }],
    });
    const heat = tf.tidy(() => tf.sum(cond.relevance, 3).dataSync() as Float32Array);
    for (let i = 0; i < 2; i++) {
      let best = i * 144;
      for (let p = i * 144; p < (i + 1) * 144; p++) if (Math.abs(one[p]) > Math.abs(one[best])) best = p;
      const factor = heat[best] / one[best];
      for (let p = i * 144; p < (i + 1) * 144; p++) {
        expect(Math.abs(heat[p] - factor * one[p])).toBeLessThan(1e-4 * Math.abs(heat[best]) + 1e-9);
      }
    }
    tf.dispose([x, cond.relevance, cond.output]);
    model.dispose();
  });

  it('repeated calls leave the tensor count unchanged', () => {
    const model = randomConvNet({ seed: 8, size: 12 });
    const x = tf.randomUniform([2, 12, 12, 3], -1.5, 1.5, 'float32', 8) as tf.Tensor4D;
    const layer = model.layers[2].name;
    const once = () => {
      const r = conceptHeatmaps(model, x, { target: 'predicted', layer, channels: [0, 1, 2] });
      tf.dispose([r.relevance, r.output]);
      conceptStatistics(model, x, { target: 'predicted', layers: [layer, model.layers[0].name] });
      neuronHeatmaps(model, x, { layer, channels: [0, 1], cells: [0, 3] });
      conceptsInRegion(model, x, { target: [0, 1], layer, region: { y0: 0, x0: 0, y1: 6, x1: 6 } });
    };
    once();
    const before = tf.memory().numTensors;
    once();
    once();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
    model.dispose();
  });

  it('bad conditions name the problem', () => {
    const model = randomConvNet({ seed: 9, size: 12 });
    const x = tf.zeros([1, 12, 12, 3]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    expect(() => explain(model, x, { target: 0, conditions: [{ layer: 'nope', channels: [0] }] })).toThrow(
      /no layer "nope" to condition on; layers: /,
    );
    const conv = model.layers[0].name;
    expect(() => explain(model, x, { target: 0, conditions: [{ layer: conv, channels: [6] }] })).toThrow(
      /channel 6 of layer ".*" is out of range; it has 6 \(0..5\)/,
    );
    const dense = model.layers[model.layers.length - 2].name;
    expect(() =>
      explain(model, x, { target: 0, conditions: [{ layer: dense, region: { y0: 0, x0: 0, y1: 1, x1: 1 } }] }),
    ).toThrow(/has no spatial axes; drop the region/);
    expect(() => explain(model, x, { target: 0, conditions: [] })).toThrow(/non-empty list/);
    expect(() => explain(model, x, { target: 0, conditions: { perImage: [[], []] } })).toThrow(/one list/);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    model.dispose();
  });
});

describe('reference collection and crops (no tensors)', () => {
  const stats = (relevance: number[], activation: number[], targets: number[]) => ({
    layer: 'L',
    shape: [2, 2, 2] as [number, number, number],
    relevance: Float32Array.from(relevance),
    activation: Float32Array.from(activation),
    relevancePeak: Int32Array.from(relevance.map((_, i) => i % 4)),
    activationPeak: Int32Array.from(activation.map((_, i) => 3 - (i % 4))),
    targets: Int32Array.from(targets),
    output: new Float32Array(0),
  });

  it('keeps the top samples per channel, independent of batching, and resumes from JSON', () => {
    // 4 samples × 2 channels
    const rel = [5, 1, 7, 2, 5, 9, -1, 3];
    const act = [0.1, 0.9, 0.4, 0.8, 0.3, 0.2, 0.7, 0.6];
    const whole = new ReferenceCollector(2);
    whole.add([stats(rel, act, [0, 1, 2, 3])], 0);
    const split = new ReferenceCollector(2);
    split.add([stats(rel.slice(0, 4), act.slice(0, 4), [0, 1])], 0);
    const resumed = new ReferenceCollector(2, JSON.parse(JSON.stringify(split.table)));
    resumed.add([stats(rel.slice(4), act.slice(4), [2, 3])], 2);
    expect(resumed.table).toEqual(whole.table);
    const layer = whole.table.layers[0];
    expect(whole.table.seen).toBe(4);
    // channel 0 relevance: 5 (s0), 7 (s1), 5 (s2), -1 (s3) → s1, then s0 (earlier of the tie)
    expect(layer.relevance[0].map((r) => [r.sample, r.value])).toEqual([
      [1, 7],
      [0, 5],
    ]);
    expect(layer.relevance[1].map((r) => r.sample)).toEqual([2, 3]);
    expect(layer.activation[0].map((r) => r.sample)).toEqual([3, 1]);
    expect(layer.activation[1].map((r) => r.sample)).toEqual([0, 1]);
    expect(() => new ReferenceCollector(3, whole.table)).toThrow(/keep 2 samples per channel, not 3/);
  });

  it('relevance boxes bound the relevant pixels, grown to a minimum size', () => {
    const h = 10;
    const w = 12;
    const map = new Float32Array(h * w);
    map[3 * w + 4] = 1;
    map[5 * w + 7] = -0.5;
    map[9 * w + 11] = 0.05; // below 10 % of the maximum
    expect(relevanceBox(map, h, w, { minSize: 2 })).toEqual({ y0: 3, x0: 4, y1: 6, x1: 8 });
    expect(relevanceBox(map, h, w, { minSize: 6 })).toEqual({ y0: 2, x0: 3, y1: 8, x1: 9 });
    expect(relevanceBox(new Float32Array(h * w), h, w)).toEqual({ y0: 0, x0: 0, y1: h, x1: w });
  });
});
