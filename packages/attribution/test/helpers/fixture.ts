import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

export interface Arr {
  shape: number[];
  data: number[];
}

export interface Fixture {
  layers: Record<'conv1' | 'conv2' | 'conv3', { kernel: Arr; bias: Arr }>;
  x: Arr;
  target: number[];
  logits: Arr;
  gradient: Arr;
  smoothgrad: { noise: Arr; relevance: Arr };
  igZeros: { steps: number; rule: string; relevance: Arr };
  igBaseline: { steps: number; rule: string; baseline: Arr; relevance: Arr; gap: Arr };
  gradcam: { layer: string; map: Arr; upsampled: Arr };
  occlusion: { patch: number; stride: number; fill: number; map: Arr };
}

export function loadFixture(): Fixture {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'attribution.json'), 'utf8'));
}

export const tensor = (a: Arr) => tf.tensor(a.data, a.shape);

/** The fixture's network in tfjs: conv1 (3×3 same, ReLU) → max-pool 2 → conv2 (ReLU) → conv3 (4×4 valid) → flatten. */
export function fixtureModel(f: Fixture): tf.Sequential {
  const m = tf.sequential();
  const conv = (
    name: 'conv1' | 'conv2' | 'conv3',
    activation: 'relu' | 'linear',
    padding: 'same' | 'valid',
    inputShape?: number[],
  ) => {
    const k = f.layers[name].kernel.shape;
    return tf.layers.conv2d({ name, filters: k[3], kernelSize: [k[0], k[1]], padding, activation, inputShape });
  };
  m.add(conv('conv1', 'relu', 'same', f.x.shape.slice(1)));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(conv('conv2', 'relu', 'same'));
  m.add(conv('conv3', 'linear', 'valid'));
  m.add(tf.layers.flatten());
  for (const name of ['conv1', 'conv2', 'conv3'] as const) {
    const w = [tensor(f.layers[name].kernel), tensor(f.layers[name].bias)];
    m.getLayer(name).setWeights(w);
    tf.dispose(w);
  }
  return m;
}
