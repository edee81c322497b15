import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { OracleArray } from './oracle';

/** One layer of a zennit parity fixture (PyTorch layouts), see shared/reference/zennit/README.md. */
export type ZennitLayer =
  | { name: string; type: 'conv'; weight: OracleArray; bias: OracleArray; padding: number; stride: number }
  | {
      name: string;
      type: 'bn';
      gamma: OracleArray;
      beta: OracleArray;
      mean: OracleArray;
      var: OracleArray;
      eps: number;
    }
  | { name: string; type: 'relu' | 'gap' | 'flatten'; chw?: number[] }
  | { name: string; type: 'maxpool' | 'avgpool'; size: number; stride?: number }
  | { name: string; type: 'dense'; weight: OracleArray; bias: OracleArray }
  | { name: string; type: 'add'; inputs: string[] };

export interface ZennitComposite {
  zennit: string;
  /** 'standard', or 'tutorial-gamma' (zennit with the tutorial's γ on convs). */
  kind: string;
  lrpjs: { preset: string; options: Record<string, unknown> };
  relevance: OracleArray;
  relevance_sum: number[];
  f_target: number[];
}

export interface ZennitFixture {
  name: string;
  layers: ZennitLayer[];
  input: OracleArray;
  targets: number[];
  output: OracleArray;
  composites: Record<string, ZennitComposite>;
}

/** The fixture sets: the small one vendored here, and the full one outside the repo (if present). */
export function zennitDirs(): { vendored: string; external: string } {
  const shared = process.env.LRPJS_SHARED_DIR ?? path.resolve(__dirname, '../../../../../shared');
  return {
    vendored: path.resolve(__dirname, '../fixtures/zennit-parity'),
    external: process.env.ZENNIT_PARITY_DIR ?? path.join(shared, 'fixtures', 'zennit-parity'),
  };
}

export function readZennitFixture(file: string): ZennitFixture {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ZennitFixture;
}

function tensorOf(a: OracleArray): tf.Tensor {
  return tf.tensor(a.data, a.shape, 'float32');
}

/**
 * The fixture's network as a functional tfjs model, one tfjs layer per PyTorch module: OIHW → HWIO,
 * padding P → 'same' (P = (K−1)/2, stride 1) or 'valid' (P = 0), and the dense layer after a flatten
 * reordered from PyTorch's C·H·W to tfjs's H·W·C.
 */
export function buildZennitModel(fx: ZennitFixture): tf.LayersModel {
  const [, c, h, w] = fx.input.shape;
  const input = tf.input({ shape: [h, w, c] });
  const byName = new Map<string, tf.SymbolicTensor>([['input', input]]);
  let x: tf.SymbolicTensor = input;
  let flattenedChw: number[] | null = null;
  const pending: [tf.layers.Layer, tf.Tensor[]][] = [];
  for (const l of fx.layers) {
    let layer: tf.layers.Layer;
    let inputs: tf.SymbolicTensor | tf.SymbolicTensor[] = x;
    switch (l.type) {
      case 'conv': {
        const [o, i, kh, kw] = l.weight.shape;
        let padding: 'same' | 'valid';
        if (l.padding === 0) padding = 'valid';
        else if (l.stride === 1 && kh === kw && l.padding === (kh - 1) / 2) padding = 'same';
        else throw new Error(`${fx.name}/${l.name}: padding ${l.padding} not mappable`);
        layer = tf.layers.conv2d({ name: l.name, filters: o, kernelSize: [kh, kw], strides: l.stride, padding });
        const kernel = tf.tidy(() => tf.transpose(tensorOf(l.weight).reshape([o, i, kh, kw]), [2, 3, 1, 0]));
        pending.push([layer, [kernel, tensorOf(l.bias)]]);
        break;
      }
      case 'bn':
        layer = tf.layers.batchNormalization({ name: l.name, epsilon: l.eps });
        pending.push([layer, [tensorOf(l.gamma), tensorOf(l.beta), tensorOf(l.mean), tensorOf(l.var)]]);
        break;
      case 'relu':
        layer = tf.layers.reLU({ name: l.name });
        break;
      case 'maxpool':
        layer = tf.layers.maxPooling2d({ name: l.name, poolSize: l.size, strides: l.stride ?? l.size });
        break;
      case 'avgpool':
        layer = tf.layers.averagePooling2d({ name: l.name, poolSize: l.size, strides: l.stride ?? l.size });
        break;
      case 'gap':
        layer = tf.layers.globalAveragePooling2d({ name: l.name });
        break;
      case 'flatten':
        layer = tf.layers.flatten({ name: l.name });
        flattenedChw = l.chw ?? null;
        break;
      case 'dense': {
        const [out, inn] = l.weight.shape;
        layer = tf.layers.dense({ name: l.name, units: out });
        const chw = flattenedChw;
        const kernel = tf.tidy(() => {
          const wt = tensorOf(l.weight).reshape([out, inn]);
          if (!chw) return tf.transpose(wt);
          const [cc, hh, ww] = chw;
          return tf.reshape(tf.transpose(tf.reshape(wt, [out, cc, hh, ww]), [2, 3, 1, 0]), [inn, out]);
        });
        flattenedChw = null;
        pending.push([layer, [kernel, tensorOf(l.bias)]]);
        break;
      }
      case 'add':
        layer = tf.layers.add({ name: l.name });
        inputs = l.inputs.map((n) => byName.get(n)!);
        break;
    }
    x = layer.apply(inputs) as tf.SymbolicTensor;
    byName.set(l.name, x);
  }
  const model = tf.model({ inputs: input, outputs: x });
  for (const [layer, weights] of pending) {
    layer.setWeights(weights);
    tf.dispose(weights);
  }
  return model;
}
