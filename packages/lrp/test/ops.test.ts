/**
 * The backward step of every op is the transpose of its forward pass, for every route the backends use
 * (flipped forward conv, conv2dTranspose, dense shortcut, max-pool winner mask or gradient kernel).
 * Truth: the Jacobian built from forward passes on basis images, or a loop reference for max pooling.
 */
import * as tf from '@tensorflow/tfjs';
import { registerWasmKernels } from '@lrpjs/models';
import { Params } from '../src/graph/params';
import type { LinearOp, OpContext } from '../src/graph/types';
import { ConvOp, type ConvGeometry } from '../src/ops/conv';
import { DenseOp } from '../src/ops/dense';
import { AvgPoolOp, GlobalAvgPoolOp, MaxPoolOp } from '../src/ops/pool';
import { splitLastAxis } from '../src/ops/split';
import { opStrategy, setOpStrategy } from '../src/ops/strategy';
import { BACKENDS, maxAbs, maxAbsDiff, useBackend } from './helpers/backend';

function ctxFor(input: tf.Tensor, repeats = 1, inputNonNegative = false, op?: LinearOp): OpContext {
  const memos = new Map<string, unknown>();
  return {
    input,
    get output() {
      if (!op) throw new Error('test: output not given');
      return op.forward(input, op.params);
    },
    repeats,
    inputNonNegative,
    memo: <T>(k: string, make: () => T) => {
      if (!memos.has(k)) memos.set(k, make());
      return memos.get(k) as T;
    },
  };
}

/**
 * Truth for linear ops from the forward pass alone: the response to every basis image is a row of the
 * Jacobian J (bias-free), and the transpose must give J^T s.
 */
function jacobianTransposeTimes(op: LinearOp, x: tf.Tensor, s: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const image = x.shape.slice(1);
    const d = image.reduce((a, b) => a * b, 1);
    const basis = tf.reshape(tf.eye(d), [d, ...image]);
    const zero = tf.zerosLike(tf.slice(basis, 0, 1));
    const responses = tf.sub(op.forward(basis, op.params), op.forward(zero, op.params)); // remove the bias
    const jt = tf.reshape(responses, [d, -1]);
    return tf.reshape(tf.matMul(tf.reshape(s, [s.shape[0], -1]), jt, false, true), x.shape);
  });
}

/**
 * Gradient of Σ maxPool(x)·s by plain loops (TF 'same'/'valid' padding, first maximum wins): the
 * backends' own MaxPoolGrad kernels are not trusted (wasm's loses windows of values ≤ 0).
 */
function maxPoolGradReference(
  x: tf.Tensor,
  s: tf.Tensor,
  pool: number[],
  strides: number[],
  padding: 'same' | 'valid',
): tf.Tensor {
  const [n, h, w, c] = x.shape as number[];
  const [, oh, ow] = s.shape as number[];
  const xv = x.dataSync();
  const sv = s.dataSync();
  const out = new Float32Array(xv.length);
  const before = (size: number, k: number, st: number, o: number) =>
    padding === 'valid' ? 0 : Math.floor(Math.max(0, (o - 1) * st + k - size) / 2);
  const top = before(h, pool[0], strides[0], oh);
  const left = before(w, pool[1], strides[1], ow);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let ch = 0; ch < c; ch++) {
          let best = -Infinity;
          let at = -1;
          for (let di = 0; di < pool[0]; di++)
            for (let dj = 0; dj < pool[1]; dj++) {
              const y = i * strides[0] - top + di;
              const z = j * strides[1] - left + dj;
              if (y < 0 || z < 0 || y >= h || z >= w) continue;
              const idx = ((b * h + y) * w + z) * c + ch;
              if (xv[idx] > best) {
                best = xv[idx];
                at = idx;
              }
            }
          out[at] += sv[((b * oh + i) * ow + j) * c + ch];
        }
  return tf.tensor(out, x.shape);
}

/** Our backward vs the truth: J^T s for linear ops, a loop reference for max pooling. */
function checkTranspose(op: LinearOp, x: tf.Tensor, inputNonNegative = false) {
  tf.tidy(() => {
    const y = op.forward(x, op.params);
    const s = tf.randomNormal(y.shape, 0, 1, 'float32', 3);
    const truth =
      op instanceof MaxPoolOp
        ? maxPoolGradReference(x, s, op.geometry.poolSize, op.geometry.strides, op.geometry.padding)
        : jacobianTransposeTimes(op, x, s);
    const ours = op.backward(s, op.params, ctxFor(x, 1, inputNonNegative, op));
    expect(ours.shape).toEqual(x.shape);
    // Among tied zeros (after a ReLU) kernels may pick any winner: LRP only uses a·c, which is 0 there.
    const tiles =
      op instanceof MaxPoolOp &&
      op.geometry.padding === 'valid' &&
      op.geometry.strides.every((st, i) => st === op.geometry.poolSize[i] && x.shape[i + 1] % st === 0);
    const exact = !inputNonNegative || (tiles && opStrategy().maxPoolRouting === 'mask');
    const [a, b] = exact ? [ours, truth] : [tf.mul(x, ours), tf.mul(x, truth)];
    expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(1e-4 * Math.max(1, maxAbs(b)));
  });
}

const convCases: [string, number[], number[], ConvGeometry][] = [
  ['3×3 same', [2, 7, 7, 3], [3, 3, 3, 4], { strides: [1, 1], padding: 'same', dilation: [1, 1] }],
  ['4×4 same (asymmetric pad)', [2, 7, 6, 3], [4, 4, 3, 5], { strides: [1, 1], padding: 'same', dilation: [1, 1] }],
  ['3×2 valid', [1, 6, 7, 2], [3, 2, 2, 3], { strides: [1, 1], padding: 'valid', dilation: [1, 1] }],
  ['stride 2 same, odd size', [2, 9, 9, 3], [3, 3, 3, 4], { strides: [2, 2], padding: 'same', dilation: [1, 1] }],
  [
    'stride (2,3) valid, leftover rows',
    [1, 10, 11, 2],
    [3, 2, 2, 3],
    { strides: [2, 3], padding: 'valid', dilation: [1, 1] },
  ],
  ['dilation 2 same', [1, 9, 9, 2], [3, 3, 2, 3], { strides: [1, 1], padding: 'same', dilation: [2, 2] }],
  ['dilation 2 valid', [1, 9, 8, 2], [2, 3, 2, 3], { strides: [1, 1], padding: 'valid', dilation: [2, 2] }],
  [
    'kernel covers input (dense shortcut)',
    [3, 5, 5, 4],
    [5, 5, 4, 6],
    { strides: [1, 1], padding: 'valid', dilation: [1, 1] },
  ],
];

describe.each(BACKENDS)('op transposes on %s', (backend) => {
  beforeAll(() => useBackend(backend));
  afterEach(() => setOpStrategy({}));

  describe.each(['flipped', 'native'] as const)('conv via %s', (route) => {
    it.each(convCases)('%s', (_name, xShape, kShape, geometry) => {
      setOpStrategy({ convTranspose: route });
      const kernel = tf.randomNormal(kShape, 0, 1, 'float32', 1);
      const bias = tf.randomNormal([kShape[3]], 0, 1, 'float32', 2);
      const x = tf.randomNormal(xShape, 0, 1, 'float32', 4);
      checkTranspose(new ConvOp(new Params(kernel, bias, true), geometry), x);
      tf.dispose([kernel, bias, x]);
    });
  });

  it('stacked kernels give each set in one pass', () => {
    tf.tidy(() => {
      const g: ConvGeometry = { strides: [2, 2], padding: 'same', dilation: [1, 1] };
      const p1 = new Params(tf.randomNormal([3, 3, 2, 4], 0, 1, 'float32', 1), null, false);
      const p2 = new Params(tf.randomNormal([3, 3, 2, 4], 0, 1, 'float32', 2), null, false);
      const op = new ConvOp(p1, g);
      const x = tf.randomNormal([2, 8, 8, 2]);
      const s = tf.randomNormal(op.forward(x, p1).shape);
      const [c1, c2] = op.backwardMany(s, [p1, p2], ctxFor(x));
      expect(maxAbsDiff(c1, op.backward(s, p1, ctxFor(x)))).toBeLessThan(1e-4);
      expect(maxAbsDiff(c2, op.backward(s, p2, ctxFor(x)))).toBeLessThan(1e-4);
      const d = new DenseOp(new Params(tf.randomNormal([5, 3]), null, false));
      const q = new Params(tf.randomNormal([5, 3]), null, false);
      const xv = tf.randomNormal([4, 5]);
      const sv = tf.randomNormal([4, 3]);
      const [e1, e2] = d.backwardMany(sv, [d.params, q], ctxFor(xv));
      expect(maxAbsDiff(e1, d.backward(sv, d.params, ctxFor(xv)))).toBeLessThan(1e-5);
      expect(maxAbsDiff(e2, d.backward(sv, q, ctxFor(xv)))).toBeLessThan(1e-5);
      p1.dispose();
      p2.dispose();
    });
  });

  it('dense, also on rank-3 input', () => {
    const kernel = tf.randomNormal([5, 3], 0, 1, 'float32', 1);
    const op = new DenseOp(new Params(kernel, tf.zeros([3]), true));
    checkTranspose(op, tf.randomNormal([4, 5]));
    checkTranspose(op, tf.randomNormal([2, 6, 5]));
  });

  describe.each(['mask', 'gradient'] as const)('max pooling via %s', (route) => {
    it.each([
      ['2×2 / 2 valid', [2, 8, 8, 3], [2, 2], [2, 2], 'valid'],
      ['3×3 / 2 same (overlapping)', [2, 9, 9, 3], [3, 3], [2, 2], 'same'],
      ['2×3 / 1 valid', [1, 6, 7, 2], [2, 3], [1, 1], 'valid'],
    ] as const)('%s', (_n, shape, pool, strides, padding) => {
      setOpStrategy({ maxPoolRouting: route });
      const op = new MaxPoolOp({ poolSize: [...pool], strides: [...strides], padding });
      tf.tidy(() => {
        const x = tf.randomNormal([...shape], 0, 1, 'float32', 9);
        checkTranspose(op, x);
        // after a ReLU: many all-zero windows (ties go to the first element, as the gradient's)
        checkTranspose(op, tf.relu(x), true);
      });
    });

    it('gives a tie between equal maxima to the first one, as the gradient', () => {
      setOpStrategy({ maxPoolRouting: route });
      tf.tidy(() => {
        const op = new MaxPoolOp({ poolSize: [2, 2], strides: [2, 2], padding: 'valid' });
        // window [[1, 2], [2, 0]]: maxima at positions 1 and 2 → all to position 1
        const x = tf.tensor4d([1, 2, 2, 0], [1, 2, 2, 1]);
        const c = Array.from(op.backward(tf.tensor4d([1], [1, 1, 1, 1]), null, ctxFor(x, 1, true, op)).dataSync());
        if (route === 'mask' || backend === 'cpu') expect(c).toEqual([0, 1, 0, 0]);
        else expect(c[1] + c[2]).toBeCloseTo(1, 6); // wasm's kernel: some maximum
        // an all-zero window (after a ReLU): the first zero
        const z = Array.from(
          op.backward(tf.tensor4d([1], [1, 1, 1, 1]), null, ctxFor(tf.zeros([1, 2, 2, 1]), 1, true, op)).dataSync(),
        );
        expect(z.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
        if (route === 'mask') expect(z).toEqual([1, 0, 0, 0]);
      });
    });

    it('routes each target row with its own image (repeats)', () => {
      setOpStrategy({ maxPoolRouting: route });
      tf.tidy(() => {
        const op = new MaxPoolOp({ poolSize: [2, 2], strides: [2, 2], padding: 'valid' });
        const x = tf.relu(tf.randomNormal([2, 4, 4, 2]));
        const s = tf.randomNormal([4, 2, 2, 2]); // 2 targets × 2 images
        const ours = op.backward(s, null, ctxFor(x, 2, true, op));
        const xr = tf.concat([x, x]); // target-major rows: image i, target j at j·N + i
        const truth = maxPoolGradReference(xr, s, [2, 2], [2, 2], 'valid');
        expect(maxAbsDiff(tf.mul(xr, ours), tf.mul(xr, truth))).toBeLessThan(1e-5);
      });
    });
  });

  it.each([
    ['2×2 / 2 valid (broadcast route)', [2, 8, 8, 3], [2, 2], [2, 2], 'valid'],
    ['3×3 / 2 same (partial windows)', [2, 9, 8, 3], [3, 3], [2, 2], 'same'],
    ['2×2 / 1 valid', [1, 5, 5, 2], [2, 2], [1, 1], 'valid'],
  ] as const)('average pooling %s', (_n, shape, pool, strides, padding) => {
    checkTranspose(new AvgPoolOp({ poolSize: [...pool], strides: [...strides], padding }), tf.randomNormal([...shape]));
  });

  it('global average pooling', () => {
    checkTranspose(new GlobalAvgPoolOp(), tf.randomNormal([2, 5, 4, 3]));
  });
});

describe("max pooling on wasm with @lrpjs/models' MaxPoolGrad registered", () => {
  beforeAll(async () => {
    await useBackend('wasm');
    registerWasmKernels();
  });
  afterAll(() => {
    registerWasmKernels({ replaceSlow: false }); // the shipped kernel back, for the other suites
    setOpStrategy({});
  });

  it('the strategy routes through that kernel, without the shift above 0', () => {
    setOpStrategy({});
    expect(opStrategy()).toMatchObject({ maxPoolRouting: 'gradient', maxPoolGradPositive: false });
  });

  it('matches the loop reference, also on all-negative and all-zero windows', () => {
    setOpStrategy({});
    const op = new MaxPoolOp({ poolSize: [2, 2], strides: [2, 2], padding: 'valid' });
    tf.tidy(() => {
      // one window of negatives (the shipped kernel drops it), one of zeros (first zero wins), one mixed
      const x = tf.tensor4d([-3, -1, -2, -5, 0, 0, 0, 0, 1, 4, 4, 2], [3, 2, 2, 1]);
      const s = tf.tensor4d([2, 3, 5], [3, 1, 1, 1]);
      const c = Array.from(op.backward(s, null, ctxFor(x, 1, false, op)).dataSync());
      expect(c).toEqual([0, 2, 0, 0, 3, 0, 0, 0, 0, 5, 0, 0]);
      const r = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 5);
      const sr = tf.randomNormal([4, 4, 4, 3], 0, 1, 'float32', 6); // 2 targets × 2 images
      const truth = maxPoolGradReference(tf.concat([r, r]), sr, [2, 2], [2, 2], 'valid');
      expect(maxAbsDiff(op.backward(sr, null, ctxFor(r, 2, false, op)), truth)).toBeLessThan(1e-6);
    });
  });
});

describe('splitLastAxis', () => {
  it.each(BACKENDS)('cuts the last axis into equal groups in order on %s', async (backend) => {
    await useBackend(backend);
    tf.tidy(() => {
      // [2, 1, 4] → two [2, 1, 2]: row r holds 10r + channel
      const t = tf.tensor3d([0, 1, 2, 3, 10, 11, 12, 13], [2, 1, 4]);
      const [a, b] = splitLastAxis(t, 2);
      expect(a.shape).toEqual([2, 1, 2]);
      expect(Array.from(a.dataSync())).toEqual([0, 1, 10, 11]);
      expect(Array.from(b.dataSync())).toEqual([2, 3, 12, 13]);
      const c = splitLastAxis(tf.tensor2d([1, 2, 3, 4, 5, 6], [1, 6]), 3);
      expect(c.map((x) => Array.from(x.dataSync()))).toEqual([
        [1, 2],
        [3, 4],
        [5, 6],
      ]);
    });
  });
});
