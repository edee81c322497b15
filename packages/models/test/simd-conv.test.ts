import * as tf from '@tensorflow/tfjs';
import { backendInfo, configureSimdConv, selectBackend, simdConvInfo } from '../src';
import { simdConvPool } from '../src/kernels/simd';
import { onBackend, relativeError, values } from './helpers';

// lrpjs's SIMD convolutions (simd/assembly) against tfjs's cpu backend, an independent implementation.
// Shapes cover what the tile loops must get right: output channels that are not a multiple of 4 and
// span several tiles (1, 5, 10, 13, 25, 100), tile rows that cross image rows and images (widths 7, 9,
// 11 against 3-row tiles), 1×1 to 8×8 kernels, same/valid/explicit padding, strides.
interface Case {
  name: string;
  x: [number, number, number, number];
  f: [number, number, number, number];
  pad: 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
  stride?: number;
}
const cases: Case[] = [
  { name: 'conv1 shape', x: [2, 16, 16, 3], f: [5, 5, 3, 10], pad: 'same' },
  { name: 'conv2 shape', x: [3, 8, 8, 10], f: [5, 5, 10, 25], pad: 'same' },
  { name: 'conv3 shape', x: [2, 4, 4, 25], f: [5, 5, 25, 100], pad: 'same' },
  { name: '1 output channel, odd width', x: [2, 7, 9, 4], f: [3, 3, 4, 1], pad: 'same' },
  { name: '13 channels, valid, rows cross images', x: [3, 5, 11, 2], f: [3, 2, 2, 13], pad: 'valid' },
  { name: '1×1', x: [2, 5, 5, 6], f: [1, 1, 6, 5], pad: 'valid' },
  {
    name: 'explicit asymmetric padding',
    x: [1, 6, 7, 3],
    f: [3, 3, 3, 5],
    pad: [
      [0, 0],
      [2, 0],
      [0, 1],
      [0, 0],
    ],
  },
  { name: '8×8 valid (top conv)', x: [2, 8, 8, 12], f: [8, 8, 12, 19], pad: 'valid' },
  { name: 'Winograd: 3×3 same, odd height and width', x: [3, 15, 13, 64], f: [3, 3, 64, 68], pad: 'same' },
  { name: 'Winograd: 3×3 valid, 72 channels', x: [2, 18, 19, 64], f: [3, 3, 64, 72], pad: 'valid' },
  {
    name: 'Winograd: 3×3 explicit padding',
    x: [4, 12, 12, 64],
    f: [3, 3, 64, 64],
    pad: [
      [0, 0],
      [0, 1],
      [1, 1],
      [0, 0],
    ],
  },
  { name: 'Winograd: 5×5 same (conv3 shape)', x: [2, 16, 16, 25], f: [5, 5, 25, 100], pad: 'same' },
  { name: 'Winograd: 5×5 valid, channels not in whole vectors', x: [3, 17, 16, 17], f: [5, 5, 17, 18], pad: 'valid' },
  {
    name: 'Winograd: 5×5 explicit padding, odd size',
    x: [2, 13, 15, 16],
    f: [5, 5, 16, 20],
    pad: [
      [0, 0],
      [1, 2],
      [2, 0],
      [0, 0],
    ],
  },
  { name: 'stride 2, same, odd size', x: [2, 9, 9, 6], f: [3, 3, 6, 7], pad: 'same', stride: 2 },
  { name: 'stride 2, valid, last row never read', x: [2, 10, 9, 3], f: [3, 3, 3, 4], pad: 'valid', stride: 2 },
  { name: 'stride 2, 7×7 same (ResNet stem)', x: [1, 20, 20, 3], f: [7, 7, 3, 16], pad: 'same', stride: 2 },
];

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

function operands(c: Case) {
  const x = values(size(c.x), 11);
  const f = values(size(c.f), 12);
  const bias = values(c.f[3], 13);
  const yShape = tf.tidy(
    () => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.f) as tf.Tensor4D, c.stride ?? 1, c.pad).shape,
  );
  const dy = values(size(yShape), 14);
  return { x, f, bias, dy, yShape };
}

/** The four results a convolution layer needs, computed on the active backend. */
function results(c: Case) {
  const o = operands(c);
  const X = () => tf.tensor4d(o.x, c.x);
  const F = () => tf.tensor4d(o.f, c.f);
  const loss = (x: tf.Tensor, f: tf.Tensor) =>
    tf
      .conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.stride ?? 1, c.pad)
      .mul(tf.tensor(o.dy, o.yShape))
      .sum();
  return {
    forward: () => tf.tidy(() => tf.conv2d(X(), F(), c.stride ?? 1, c.pad)),
    fusedRelu: () =>
      tf.tidy(() =>
        tf.fused.conv2d({
          x: X(),
          filter: F(),
          strides: c.stride ?? 1,
          pad: c.pad,
          bias: tf.tensor1d(o.bias),
          activation: 'relu',
        }),
      ),
    dFilter: () => tf.tidy(() => tf.grad((f) => loss(X(), f))(F())),
    dInput: () => tf.tidy(() => tf.grad((x) => loss(x, F()))(X())),
  };
}

const kinds = ['forward', 'fusedRelu', 'dFilter', 'dInput'] as const;

beforeAll(async () => {
  await selectBackend({ backend: 'wasm', threads: 1 });
});

afterAll(() => configureSimdConv({ threads: 1, enabled: true }));

describe('SIMD convolutions on wasm', () => {
  test('are in use under Node, with the relaxed-SIMD build where the engine takes it', () => {
    const info = simdConvInfo();
    expect(info).not.toBeNull();
    expect(backendInfo()?.simdConv).toEqual(info);
  });

  test('a hand-computed case: 3×3 image, 2×2 kernel of ones plus bias 0.5, valid', async () => {
    const y = await onBackend('wasm', () =>
      tf.tidy(() =>
        tf.fused.conv2d({
          x: tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]),
          filter: tf.ones([2, 2, 1, 1]) as tf.Tensor4D,
          strides: 1,
          pad: 'valid',
          bias: tf.tensor1d([0.5]),
        }),
      ),
    );
    expect(Array.from(y)).toEqual([12.5, 16.5, 24.5, 28.5]);
  });

  test.each(cases)('match the cpu backend with 1 and 2 threads, and leak nothing: $name', async (c) => {
    const cpu: Record<string, Float32Array> = {};
    for (const k of kinds) cpu[k] = await onBackend('cpu', results(c)[k]);
    const perThreads: Record<string, Float32Array>[] = [];
    for (const threads of [1, 2]) {
      configureSimdConv({ threads });
      expect(simdConvInfo()?.threads).toBe(threads);
      const wasm: Record<string, Float32Array> = {};
      const before = tf.memory().numTensors;
      const winogradBefore = simdConvPool()?.calls.Winograd ?? 0;
      const gradBefore = simdConvPool()?.calls.WinogradFilterGrad ?? 0;
      for (const k of kinds) wasm[k] = await onBackend('wasm', results(c)[k]);
      for (const k of kinds) wasm[k] = await onBackend('wasm', results(c)[k]); // again: same count after
      expect(tf.memory().numTensors).toBe(before);
      // Winograd cases, twice each: forward, fused, the forward passes under both gradients and the input
      // gradient all took the Winograd path.
      const winogradCalls = (simdConvPool()?.calls.Winograd ?? 0) - winogradBefore;
      // The filter gradient too, once per dFilter.
      const gradCalls = (simdConvPool()?.calls.WinogradFilterGrad ?? 0) - gradBefore;
      if (c.name.startsWith('Winograd')) expect([winogradCalls >= 10, gradCalls]).toEqual([true, 2]);
      else expect([winogradCalls, gradCalls]).toEqual([0, 0]);
      const errors = kinds.map((k) => `${k} ${relativeError(wasm[k], cpu[k]).toExponential(1)}`);
      expect(errors.filter((e) => Number(e.split(' ')[1]) > 1e-5)).toEqual([]);
      perThreads.push(wasm);
    }
    // Forward outputs are computed by the same loop whatever the split: identical. The filter gradient
    // sums per-thread partial sums, so only its rounding may differ (Winograd's partial sums are in the
    // transformed space, whose way back scales rounding by up to ~4 on 5×5).
    expect(perThreads[1].forward).toEqual(perThreads[0].forward);
    const tolerance = c.name.startsWith('Winograd') ? 1e-5 : 1e-6;
    expect(relativeError(perThreads[1].dFilter, perThreads[0].dFilter)).toBeLessThanOrEqual(tolerance);
  });

  test('hand other cases to the backend (dilation, other activations) and still match cpu', async () => {
    const x = values(2 * 9 * 9 * 3, 21);
    const f = values(3 * 3 * 3 * 4, 22);
    const runs = [
      () => tf.tidy(() => tf.conv2d(tf.tensor4d(x, [2, 9, 9, 3]), tf.tensor4d(f, [3, 3, 3, 4]), 1, 'same', 'NHWC', 2)),
      () =>
        tf.tidy(() =>
          tf.fused.conv2d({
            x: tf.tensor4d(x, [2, 9, 9, 3]),
            filter: tf.tensor4d(f, [3, 3, 3, 4]),
            strides: 1,
            pad: 'same',
            activation: 'elu',
          }),
        ),
    ];
    for (const run of runs) {
      expect(relativeError(await onBackend('wasm', run), await onBackend('cpu', run))).toBeLessThanOrEqual(1e-5);
    }
  });

  test.each([
    [[25, 64, 64, 10], [0, 1, 2], false],
    [[25, 16, 16, 100], [0, 1, 2], true],
    [[7, 33, 25], [1, 0], false],
    [[4, 60, 70, 3], [2, 0, 1], false],
  ] as [number[], number[], boolean][])(
    'Sum over all axes but the last (bias gradients) is float32-accurate: %j over %j',
    async (shape, axes, keepDims) => {
      const v = values(size(shape), 31);
      const run = () => tf.tidy(() => tf.sum(tf.tensor(v, shape), axes, keepDims));
      const wasm = await onBackend('wasm', run);
      // Exact column sums in float64 (every axis but the last reduced, in whatever order `axes` names them).
      const C = shape[shape.length - 1];
      const exact = new Float64Array(C);
      for (let i = 0; i < v.length; i++) exact[i % C] += v[i];
      expect(tf.tidy(() => run().shape)).toEqual(keepDims ? [...shape.slice(0, -1).map(() => 1), C] : [C]);
      // float32 running sums over up to 51,200 rows per thread: ~1e-5 relative, as tfjs's own kernels.
      expect(relativeError(wasm, exact)).toBeLessThanOrEqual(2e-5);
    },
  );

  test('turned off, the backend computes the same', async () => {
    const c = cases[1];
    const on = await onBackend('wasm', results(c).dFilter);
    configureSimdConv({ enabled: false });
    expect(simdConvInfo()).toBeNull();
    const off = await onBackend('wasm', results(c).dFilter);
    configureSimdConv({ enabled: true });
    expect(relativeError(on, off)).toBeLessThanOrEqual(1e-5);
  });
});
