/**
 * GraphModels: a converter-style graph (fused convs, depthwise, BatchNorm, residual AddV2, preprocessing
 * Mul/Sub, pooling, Mean, MatMul, Softmax) explains exactly as the same network built from layers, whose
 * path through the layer adapters is independent of the importer; structural ops conserve relevance
 * under LRP-0 without biases; unsupported ops are named.
 */
import * as tf from '@tensorflow/tfjs';
import {
  composite,
  createComposite,
  explain,
  lrp0,
  modelTraits,
  recommendedComposite,
  disposeCache,
  type Composite,
} from '../src';
import { BACKENDS, maxAbs, maxAbsDiff, rowSums, useBackend } from './helpers/backend';
import { GraphDefBuilder, attr, convAttrs } from './helpers/graph-model';

const allLrp0 = (): Composite => composite({ rules: [{ match: () => true, rule: lrp0({ stabilizer: 1e-12 }) }] });
const rand = (shape: number[], seed: number, std = 0.5) => tf.randomNormal(shape, 0, std, 'float32', seed);

interface Weights {
  k1: tf.Tensor;
  b1: tf.Tensor;
  dw: tf.Tensor;
  b2: tf.Tensor;
  k3: tf.Tensor;
  bn: tf.Tensor[];
  k4: tf.Tensor;
  b4: tf.Tensor;
}

function weights(): Weights {
  return {
    k1: rand([3, 3, 3, 4], 1),
    b1: rand([4], 2, 0.1),
    dw: rand([3, 3, 4, 1], 3),
    b2: rand([4], 4, 0.1),
    k3: rand([1, 1, 4, 4], 5),
    bn: [
      tf.tensor1d([1.2, 0.8, 1, 0.5]),
      tf.tensor1d([0.1, -0.1, 0, 0.2]),
      rand([4], 6, 0.1),
      tf.tensor1d([1, 2, 0.5, 1.5]),
    ],
    k4: rand([4, 3], 7),
    b4: rand([3], 8, 0.1),
  };
}

/** x·2 − 1 → conv+relu → depthwise/2+relu6 → 1×1 conv → BN → + depthwise output → relu → maxpool → mean → dense → softmax. */
async function graphNet(w: Weights): Promise<tf.GraphModel> {
  const g = new GraphDefBuilder();
  const x = g.placeholder('image', [-1, 8, 8, 3]);
  const mul = g.op('pre/mul', 'Mul', [x, g.constant('pre/two', tf.scalar(2))]);
  const sub = g.op('pre/sub', 'Sub', [mul, g.constant('pre/one', tf.scalar(1))]);
  const fused = (extra: string[], n: number) => ({ fused_ops: attr.strs(extra), num_args: attr.i(n) });
  const c1 = g.op('conv1/Relu', '_FusedConv2D', [sub, g.constant('conv1/w', w.k1), g.constant('conv1/b', w.b1)], {
    ...convAttrs(1, 'SAME'),
    ...fused(['BiasAdd', 'Relu'], 1),
  });
  const c2 = g.op('dw/Relu6', 'FusedDepthwiseConv2dNative', [c1, g.constant('dw/w', w.dw), g.constant('dw/b', w.b2)], {
    ...convAttrs(2, 'SAME'),
    ...fused(['BiasAdd', 'Relu6'], 1),
  });
  const c3 = g.op('project/Conv2D', 'Conv2D', [c2, g.constant('project/w', w.k3)], convAttrs(1, 'VALID'));
  const bn = g.op(
    'project/bn',
    'FusedBatchNormV3',
    [c3, ...['gamma', 'beta', 'mean', 'var'].map((n, i) => g.constant(`project/${n}`, w.bn[i]))],
    { epsilon: attr.f(0.001), data_format: attr.s('NHWC') },
  );
  const add = g.op('block/add', 'AddV2', [bn, c2]);
  const relu = g.op('block/relu', 'Relu', [add]);
  const pool = g.op('pool', 'MaxPool', [relu], { ...convAttrs(2, 'VALID'), ksize: attr.ints([1, 2, 2, 1]) });
  const mean = g.op('gap', 'Mean', [pool, g.constant('gap/axes', tf.tensor1d([1, 2], 'int32'))], {
    keep_dims: attr.b(false),
  });
  const mm = g.op('dense/MatMul', 'MatMul', [mean, g.constant('dense/w', w.k4)], {
    transpose_a: attr.b(false),
    transpose_b: attr.b(false),
  });
  const bias = g.op('dense/BiasAdd', 'BiasAdd', [mm, g.constant('dense/b', w.b4)], { data_format: attr.s('NHWC') });
  const soft = g.op('prob', 'Softmax', [bias]);
  g.op('Identity', 'Identity', [soft]);
  return g.load();
}

function layersNet(w: Weights): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 3] });
  const pre = tf.layers.rescaling({ scale: 2, offset: -1 }).apply(input) as tf.SymbolicTensor;
  const c1 = tf.layers.conv2d({
    filters: 4,
    kernelSize: 3,
    padding: 'same',
    activation: 'relu',
    weights: [w.k1, w.b1],
  });
  const c2 = tf.layers.depthwiseConv2d({
    kernelSize: 3,
    strides: 2,
    padding: 'same',
    activation: 'relu6',
    weights: [w.dw, w.b2],
  });
  const c3 = tf.layers.conv2d({ filters: 4, kernelSize: 1, useBias: false, weights: [w.k3] });
  const bn = tf.layers.batchNormalization({ epsilon: 0.001, weights: w.bn });
  const a = c2.apply(c1.apply(pre)) as tf.SymbolicTensor;
  const b = bn.apply(c3.apply(a)) as tf.SymbolicTensor;
  const sum = tf.layers.add().apply([b, a]) as tf.SymbolicTensor;
  const r = tf.layers.reLU().apply(sum) as tf.SymbolicTensor;
  const p = tf.layers.maxPooling2d({ poolSize: 2 }).apply(r) as tf.SymbolicTensor;
  const gap = tf.layers.globalAveragePooling2d({}).apply(p) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ units: 3, activation: 'softmax', weights: [w.k4, w.b4] })
    .apply(gap) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

describe.each(BACKENDS)('GraphModel import on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it('explains as the same network built from layers, for every preset', async () => {
    const w = weights();
    const graph = await graphNet(w);
    const layers = layersNet(w);
    const x = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 11);
    const prob = graph.predict(x) as tf.Tensor;
    expect(maxAbsDiff(prob, layers.predict(x) as tf.Tensor)).toBeLessThanOrEqual(1e-5);
    expect(modelTraits(graph)).toEqual({ residual: true });
    expect(recommendedComposite(graph).name).toBe(recommendedComposite(layers).name);
    const composites = [
      allLrp0(),
      createComposite('epsilon-gamma-box', { low: 0, high: 1 }),
      createComposite('tutorial', { low: 0, high: 1 }),
      ...['epsilon-plus', 'epsilon-alpha2-beta1', 'epsilon-plus-flat'].map((n) => createComposite(n)),
    ];
    for (const c of composites) {
      const rg = explain(graph, x, { target: 'predicted', composite: c });
      const rl = explain(layers, x, { target: 'predicted', composite: c });
      // The output is the logits: softmax of it is the model's prediction.
      expect(maxAbsDiff(tf.softmax(rg.output), prob)).toBeLessThanOrEqual(1e-5);
      expect(maxAbsDiff(rg.output, rl.output)).toBeLessThanOrEqual(1e-5 * maxAbs(rl.output));
      expect(maxAbs(rl.relevance)).toBeGreaterThan(0);
      expect(maxAbsDiff(rg.relevance, rl.relevance)).toBeLessThanOrEqual(1e-4 * maxAbs(rl.relevance));
      tf.dispose([rg.relevance, rg.output, rl.relevance, rl.output]);
    }
    // Repeated calls keep no tensors.
    const once = () => {
      const r = explain(graph, x, { target: 0, composite: composites[1] });
      tf.dispose([r.relevance, r.output]);
    };
    once();
    const before = tf.memory().numTensors;
    once();
    expect(tf.memory().numTensors).toBe(before);
    disposeCache(graph);
    disposeCache(layers);
    tf.dispose([x, prob, ...Object.values(w).flat()]);
    graph.dispose();
    layers.dispose();
  });

  it('structural ops conserve relevance under LRP-0 without biases; the output option picks the node', async () => {
    const g = new GraphDefBuilder();
    const x = g.placeholder('x', [-1, 5, 5, 2]);
    const mirror = g.op(
      'mirror',
      'MirrorPad',
      [x, g.constant('mirror/p', tf.tensor2d([0, 0, 1, 2, 2, 1, 0, 0], [4, 2], 'int32'))],
      {
        mode: attr.s('REFLECT'),
      },
    );
    const sym = g.op(
      'sym',
      'MirrorPad',
      [x, g.constant('sym/p', tf.tensor2d([0, 0, 1, 1, 1, 1, 0, 0], [4, 2], 'int32'))],
      {
        mode: attr.s('SYMMETRIC'),
      },
    );
    const conv = g.op(
      'conv',
      'Conv2D',
      [mirror, g.constant('conv/w', rand([3, 3, 2, 3], 21))],
      convAttrs(1, 'EXPLICIT', {
        explicit_paddings: attr.ints([0, 0, 1, 0, 0, 1, 0, 0]),
      }),
    );
    const leaky = g.op('leaky', 'LeakyRelu', [conv], { alpha: attr.f(0.1) });
    // Relu6 as converted from Keras' ReLU(max_value=6): Maximum with 0, then Minimum with 6.
    const clipped = g.op('clip/max', 'Maximum', [leaky, g.constant('zero', tf.scalar(0))]);
    const elu = g.op('clip/min', 'Minimum', [g.constant('six', tf.scalar(0.5)), clipped]);
    const conv2 = g.op('conv2', 'Conv2D', [sym, g.constant('conv2/w', rand([3, 3, 2, 3], 22))], convAttrs(2, 'VALID'));
    const tanh = g.op('tanh', 'Tanh', [conv2]);
    const pooled = g.op('avg', 'AvgPool', [elu], { ...convAttrs(2, 'VALID'), ksize: attr.ints([1, 3, 3, 1]) });
    const padded = g.op('pad', 'Pad', [
      tanh,
      g.constant('pad/p', tf.tensor2d([0, 0, 0, 0, 0, 0, 0, 0], [4, 2], 'int32')),
    ]);
    const cat = g.op('cat', 'ConcatV2', [pooled, padded, g.constant('cat/axis', tf.scalar(-1, 'int32'))]);
    const flat = g.op('flat', 'Reshape', [cat, g.constant('flat/shape', tf.tensor1d([-1, 54], 'int32'))]);
    const expanded = g.op('expand', 'ExpandDims', [flat, g.constant('expand/axis', tf.scalar(1, 'int32'))]);
    const squeezed = g.op('squeeze', 'Squeeze', [expanded], { squeeze_dims: attr.ints([1]) });
    const dense = g.op('logits', 'MatMul', [squeezed, g.constant('dense/w', rand([4, 54], 23))], {
      transpose_b: attr.b(true),
    });
    g.op('sigmoid', 'Sigmoid', [dense]);
    const model = await g.load();
    const xs = tf.randomUniform([2, 5, 5, 2], -1, 1, 'float32', 12);
    const logits = model.execute(xs, 'logits') as tf.Tensor;
    expect(modelTraits(model)).toEqual({ residual: false });
    const r = explain(model, xs, { target: [1, 3], composite: allLrp0() });
    // A final sigmoid is skipped: relevance starts from the logits.
    expect(maxAbsDiff(r.output, logits)).toBeLessThanOrEqual(1e-5 * maxAbs(logits));
    const f = logits.arraySync() as number[][];
    const sums = rowSums(r.relevance);
    expect(Math.abs(sums[0] - f[0][1])).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(f[0][1])));
    expect(Math.abs(sums[1] - f[1][3])).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(f[1][3])));
    // Another node: the concatenated features (54 values per image).
    const cat0 = explain(model, xs, { target: 5, composite: allLrp0(), output: 'flat' });
    expect(cat0.output.shape).toEqual([2, 54]);
    const feats = model.execute(xs, 'flat') as tf.Tensor;
    expect(maxAbsDiff(cat0.output, feats)).toBeLessThanOrEqual(1e-6);
    tf.dispose([xs, logits, r.relevance, r.output, cat0.relevance, cat0.output, feats]);
    disposeCache(model);
    model.dispose();
  });

  it.each([
    ['REFLECT', [100, 202020, 30003]],
    ['SYMMETRIC', [110, 2002, 330000]],
  ])('MirrorPad %s gives the relevance of copies back to the pixels they copy', async (mode, expected) => {
    // x = [1, 2, 3] padded (2, 1) along W: REFLECT [3, 2, 1, 2, 3, 2], SYMMETRIC [2, 1, 1, 2, 3, 3];
    // weights 10^o, LRP-0: R_o = padded_o · 10^o, summed back onto the pixel each copy reads.
    const g = new GraphDefBuilder();
    const x = g.placeholder('x', [-1, 1, 3, 1]);
    const pads = g.constant('p', tf.tensor2d([0, 0, 0, 0, 2, 1, 0, 0], [4, 2], 'int32'));
    const m = g.op('m', 'MirrorPad', [x, pads], { mode: attr.s(mode as string) });
    const flat = g.op('flat', 'Reshape', [m, g.constant('shape', tf.tensor1d([-1, 6], 'int32'))]);
    g.op('out', 'MatMul', [flat, g.constant('w', tf.tensor2d([1, 10, 100, 1000, 10000, 100000], [6, 1]))]);
    const model = await g.load();
    const xs = tf.tensor4d([1, 2, 3], [1, 1, 3, 1]);
    const r = explain(model, xs, { target: 0, composite: allLrp0() });
    (expected as number[]).forEach((e, i) => expect(r.relevance.dataSync()[i]).toBeCloseTo(e, 0));
    tf.dispose([xs, r.relevance, r.output]);
    disposeCache(model);
    model.dispose();
  });

  it('a model.json with a signature (outputs named by key, e.g. human antispoof): default and keyed output', async () => {
    // As human's antispoof: MatMul → Sigmoid → Identity, the signature naming Identity:0 "activation_4".
    const g = new GraphDefBuilder();
    const x = g.placeholder('x', [-1, 3]);
    const logit = g.op('logit', 'MatMul', [x, g.constant('w', tf.tensor2d([1, -2, 3], [3, 1]))]);
    const sigmoid = g.op('sigmoid', 'Sigmoid', [logit]);
    g.op('Identity', 'Identity', [sigmoid]);
    const model = await g.load({ activation_4: 'Identity:0' });
    expect(model.outputNodes).toEqual(['activation_4']);
    const xs = tf.tensor2d([[1, 1, 1]]);
    // f = 1 − 2 + 3 = 2 (the sigmoid skipped); LRP-0 hands each input x_i·w_i.
    const r = explain(model, xs, { target: 0, composite: allLrp0() });
    expect(r.output.dataSync()[0]).toBeCloseTo(2, 5);
    Array.from(r.relevance.dataSync()).forEach((v, i) => expect(v).toBeCloseTo([1, -2, 3][i], 4));
    // The key names the output node itself; its final sigmoid is skipped unless explainProbability.
    const keyed = explain(model, xs, {
      target: 0,
      composite: allLrp0(),
      output: 'activation_4',
      explainProbability: true,
    });
    expect(keyed.output.dataSync()[0]).toBeCloseTo(1 / (1 + Math.exp(-2)), 5);
    expect(() => explain(model, xs, { target: 0, output: 'nope' })).toThrow(
      /no node "nope".*its outputs: activation_4 \(node Identity\)/,
    );
    tf.dispose([xs, r.relevance, r.output, keyed.relevance, keyed.output]);
    disposeCache(model);
    model.dispose();
  });

  it('names an unsupported op, its node and the supported set; and an unknown output node', async () => {
    const g = new GraphDefBuilder();
    const x = g.placeholder('x', [-1, 4]);
    const c = g.op('running/sum', 'Cumsum', [x, g.constant('axis', tf.scalar(1, 'int32'))], {
      exclusive: attr.b(false),
      reverse: attr.b(false),
    });
    g.op('out', 'MatMul', [c, g.constant('w', tf.ones([4, 2]))]);
    const model = await g.load();
    const xs = tf.ones([1, 4]);
    expect(() => explain(model, xs, { target: 0 })).toThrow(
      /node "running\/sum" has op Cumsum.*Supported ops: .*DepthwiseConv2dNative/,
    );
    expect(() => explain(model, xs, { target: 0, output: 'nope' })).toThrow(/no node "nope"/);
    xs.dispose();
    model.dispose();
  });
});
