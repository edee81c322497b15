import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** A flat array with its shape, as the oracle fixtures store them (row-major, PyTorch layouts). */
export interface OracleArray {
  shape: number[];
  data: number[];
}

export type OracleLayer =
  | { type: 'conv'; shape: number[]; weight: number[]; bias: number[]; padding: number }
  | { type: 'relu' }
  | { type: 'maxpool'; size: number };

/** One fixture written by shared/reference/gen_lrp_oracle.py. */
export interface OracleFixture {
  name: string;
  layers: OracleLayer[];
  input: OracleArray;
  target: number[];
  rules: { gamma: number; epsilon: number; lowest: number; highest: number };
  output: OracleArray;
  relevance: OracleArray[];
}

/** The fixture folder: LRP_ORACLE_DIR, else <repo>/../shared/fixtures/lrp-oracle (or LRPJS_SHARED_DIR). */
export function oracleDir(): string {
  if (process.env.LRP_ORACLE_DIR) return process.env.LRP_ORACLE_DIR;
  const shared = process.env.LRPJS_SHARED_DIR ?? path.resolve(__dirname, '../../../../../shared');
  return path.join(shared, 'fixtures', 'lrp-oracle');
}

/** The small set vendored in the repository (always tested). */
export function vendoredOracleDir(): string {
  return path.resolve(__dirname, '../fixtures/lrp-oracle');
}

export function listFixtures(dir = oracleDir()): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(dir, f));
}

export function readFixture(file: string): OracleFixture {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as OracleFixture;
}

/** NCHW → NHWC tensor. */
export function nchwToNhwc(a: OracleArray): tf.Tensor {
  return tf.tidy(() => {
    const t = tf.tensor(a.data, a.shape, 'float32');
    return t.rank === 4 ? tf.transpose(t, [0, 2, 3, 1]) : t;
  });
}

/**
 * The fixture's network in tfjs: OIHW kernels → HWIO, PyTorch padding P → 'same' (P = (K−1)/2) or
 * 'valid' (P = 0), ReLU and max pooling as separate layers (one tfjs layer per PyTorch layer, so layer
 * boundaries line up), then a Flatten as in the lrpjs models.
 */
export function buildOracleModel(fx: OracleFixture): tf.Sequential {
  const [, c, h, w] = fx.input.shape;
  const model = tf.sequential();
  fx.layers.forEach((l, i) => {
    const first = i === 0 ? { inputShape: [h, w, c] } : {};
    if (l.type === 'conv') {
      const [o, inC, kh, kw] = l.shape;
      let padding: 'same' | 'valid';
      if (l.padding === 0) padding = 'valid';
      else if (kh === kw && kh % 2 === 1 && l.padding === (kh - 1) / 2) padding = 'same';
      else throw new Error(`fixture ${fx.name}: padding ${l.padding} with kernel ${kh}x${kw} not mappable`);
      const layer = tf.layers.conv2d({ ...first, filters: o, kernelSize: [kh, kw], padding, useBias: true });
      model.add(layer);
      const kernel = tf.tidy(() => tf.transpose(tf.tensor4d(l.weight, [o, inC, kh, kw]), [2, 3, 1, 0]));
      const bias = tf.tensor1d(l.bias);
      layer.setWeights([kernel, bias]);
      kernel.dispose();
      bias.dispose();
    } else if (l.type === 'relu') {
      model.add(tf.layers.reLU(first));
    } else {
      model.add(tf.layers.maxPooling2d({ ...first, poolSize: l.size, strides: l.size, padding: 'valid' }));
    }
  });
  model.add(tf.layers.flatten());
  return model;
}
