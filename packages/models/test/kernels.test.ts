import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src';
import { conv2DBackpropFilterConfig, conv2DBackpropInputConfig, maxPoolGradConfig } from '../src/kernels';
import { onBackend, relativeError, values } from './helpers';

type Pad = 'same' | 'valid';
interface ConvCase {
  name: string;
  x: [number, number, number, number];
  f: [number, number, number, number];
  stride: number;
  pad: Pad;
}

// The nets' convolutions (5×5 same, 8×8 valid top conv), plus 3×3 and stride 2.
const convCases: ConvCase[] = [
  { name: '5x5 same s1 (conv1)', x: [2, 16, 16, 3], f: [5, 5, 3, 10], stride: 1, pad: 'same' },
  { name: '5x5 same s1 (conv3)', x: [2, 8, 8, 25], f: [5, 5, 25, 100], stride: 1, pad: 'same' },
  { name: '8x8 valid s1 (conv4)', x: [3, 8, 8, 100], f: [8, 8, 100, 19], stride: 1, pad: 'valid' },
  { name: '8x8 valid s1 on 11x10', x: [2, 11, 10, 4], f: [8, 8, 4, 5], stride: 1, pad: 'valid' },
  { name: '3x3 same s1', x: [2, 9, 9, 6], f: [3, 3, 6, 7], stride: 1, pad: 'same' },
  { name: '3x3 same s2 (odd size)', x: [2, 9, 9, 6], f: [3, 3, 6, 7], stride: 2, pad: 'same' },
  { name: '5x5 same s2', x: [2, 12, 12, 3], f: [5, 5, 3, 4], stride: 2, pad: 'same' },
  { name: '3x3 valid s2 (unused last row)', x: [2, 10, 9, 3], f: [3, 3, 3, 4], stride: 2, pad: 'valid' },
];

interface PoolCase {
  name: string;
  x: [number, number, number, number];
  size: number;
  stride: number;
  pad: Pad;
}
const poolCases: PoolCase[] = [
  { name: '2x2 s2 (the nets)', x: [2, 16, 16, 10], size: 2, stride: 2, pad: 'valid' },
  { name: '2x2 s2 same, odd size', x: [2, 9, 9, 3], size: 2, stride: 2, pad: 'same' },
  {
    name: '2x2 s2 valid, odd size (last row/col get nothing), 3 channels',
    x: [2, 9, 7, 3],
    size: 2,
    stride: 2,
    pad: 'valid',
  },
  { name: '2x2 s2 valid, 6 channels (overlapping last vector)', x: [3, 6, 8, 6], size: 2, stride: 2, pad: 'valid' },
  { name: '3x3 s1 valid (overlapping)', x: [2, 7, 7, 4], size: 3, stride: 1, pad: 'valid' },
];

function convGrads(c: ConvCase) {
  const xv = values(
    c.x.reduce((a, b) => a * b),
    1,
  );
  const fv = values(
    c.f.reduce((a, b) => a * b),
    2,
  );
  const yShape = tf.tidy(
    () => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.f) as tf.Tensor4D, c.stride, c.pad).shape,
  );
  const dyv = values(
    yShape.reduce((a, b) => a * b),
    3,
  );
  const loss = (x: tf.Tensor, f: tf.Tensor) =>
    tf
      .conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.stride, c.pad)
      .mul(tf.tensor(dyv, yShape))
      .sum();
  return {
    dFilter: () => tf.tidy(() => tf.grad((f) => loss(tf.tensor(xv, c.x), f))(tf.tensor(fv, c.f))),
    dInput: () => tf.tidy(() => tf.grad((x) => loss(x, tf.tensor(fv, c.f)))(tf.tensor(xv, c.x))),
  };
}

function poolGrad(c: PoolCase) {
  // Post-ReLU input as in the nets: many exact zeros, so ties inside windows happen.
  const xv = values(
    c.x.reduce((a, b) => a * b),
    4,
  ).map((v) => Math.max(0, v));
  const yShape = tf.tidy(() => tf.maxPool(tf.zeros(c.x) as tf.Tensor4D, c.size, c.stride, c.pad).shape);
  const dyv = values(
    yShape.reduce((a, b) => a * b),
    5,
  );
  return () =>
    tf.tidy(() =>
      tf.grad((x) =>
        tf
          .maxPool(x as tf.Tensor4D, c.size, c.stride, c.pad)
          .mul(tf.tensor(dyv, yShape))
          .sum(),
      )(tf.tensor(xv, c.x)),
    );
}

const wasmResults = new Map<string, Float32Array>();

beforeAll(async () => {
  await selectBackend({ backend: 'wasm', threads: 1 });
});

describe('lrpjs wasm kernels', () => {
  test('are registered in place of the missing/slow ones', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc).toBe(conv2DBackpropFilterConfig.kernelFunc);
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc).toBe(conv2DBackpropInputConfig.kernelFunc);
    expect(tf.getKernel('MaxPoolGrad', 'wasm')?.kernelFunc).toBe(maxPoolGradConfig.kernelFunc);
  });

  test('Identity (tf.clone, gradients of add) shares its input data: no copy, either tensor outlives the other', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as unknown as { dataIdMap: { has(id: object): boolean } };
    const before = tf.memory().numTensors;
    const x = tf.tensor1d([1, -2, 3.5]);
    const y = tf.clone(x);
    expect(y.dataId).toBe(x.dataId);
    x.dispose();
    expect(Array.from(await y.data())).toEqual([1, -2, 3.5]);
    const z = tf.clone(y);
    y.dispose();
    expect(Array.from(z.dataSync())).toEqual([1, -2, 3.5]);
    expect(backend.dataIdMap.has(z.dataId)).toBe(true);
    const id = z.dataId;
    z.dispose();
    // the last reference gone, the backend frees the data
    expect(backend.dataIdMap.has(id)).toBe(false);
    // strings keep the backend's own kernel
    expect(tf.tidy(() => tf.clone(tf.scalar('a', 'string')).dataSync())).toEqual(['a']);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('run entirely on wasm (the cpu backend is never created) and leak nothing', async () => {
    const before = tf.memory().numTensors;
    for (const c of convCases) {
      const g = convGrads(c);
      wasmResults.set(`filter ${c.name}`, await onBackend('wasm', g.dFilter));
      wasmResults.set(`input ${c.name}`, await onBackend('wasm', g.dInput));
    }
    for (const c of poolCases) wasmResults.set(`pool ${c.name}`, await onBackend('wasm', poolGrad(c)));
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().registry['cpu']).toBeUndefined();
  });

  test.each(convCases)('Conv2DBackpropFilter and Conv2DBackpropInput match cpu: $name', async (c) => {
    const g = convGrads(c);
    const filterCpu = await onBackend('cpu', g.dFilter);
    const inputCpu = await onBackend('cpu', g.dInput);
    expect(relativeError(wasmResults.get(`filter ${c.name}`)!, filterCpu)).toBeLessThanOrEqual(1e-4);
    expect(relativeError(wasmResults.get(`input ${c.name}`)!, inputCpu)).toBeLessThanOrEqual(1e-4);
  });

  test.each(poolCases)('MaxPoolGrad matches cpu (incl. tie-breaking): $name', async (c) => {
    const cpu = await onBackend('cpu', poolGrad(c));
    expect(relativeError(wasmResults.get(`pool ${c.name}`)!, cpu)).toBeLessThanOrEqual(1e-4);
  });
});
