import * as tf from '@tensorflow/tfjs';
import type { ActivationFn } from '../graph/types';

export type Config = Record<string, unknown>;

export function config(layer: tf.layers.Layer): Config {
  return layer.getConfig() as Config;
}

/** Error naming the layer and what to change. */
export function layerError(name: string, layer: tf.layers.Layer, problem: string): Error {
  return new Error(`lrp: layer "${name}" (${layer.getClassName()}) ${problem}`);
}

/**
 * A weight of the layer: the tfjs attribute holding it (`kernel`, `bias`, `gamma`, `movingMean`, …),
 * else the variable named `<layer>/<suffix>` (tfjs appends `_1`, … when names collide). Null if absent.
 */
export function weight(layer: tf.layers.Layer, suffix: string, attribute?: string): tf.Tensor | null {
  const attr = (layer as unknown as Record<string, unknown>)[attribute ?? suffix] as { read?: () => tf.Tensor } | null;
  if (attr && typeof attr.read === 'function') return attr.read();
  const pattern = new RegExp(`(^|/)${suffix}(_\\d+)?$`);
  const v = layer.weights.find((w) => pattern.test(w.name));
  return v ? v.read() : null;
}

export function pair(v: unknown, fallback: number): [number, number] {
  if (v == null) return [fallback, fallback];
  if (typeof v === 'number') return [v, v];
  const a = v as number[];
  return [a[0], a.length > 1 ? a[1] : a[0]];
}

export function requireChannelsLast(name: string, layer: tf.layers.Layer): void {
  const format = config(layer).dataFormat;
  if (format != null && format !== 'channelsLast') {
    throw layerError(name, layer, `uses dataFormat '${String(format)}'; LRP supports channelsLast (NHWC) only.`);
  }
}

export function padding(name: string, layer: tf.layers.Layer): 'same' | 'valid' {
  const p = config(layer).padding;
  if (p === 'same' || p === 'valid') return p;
  throw layerError(name, layer, `uses padding '${String(p)}'; LRP supports 'same' and 'valid'.`);
}

/** The fused activation of a Conv2D/Dense layer, null when linear. */
export function fusedActivation(layer: tf.layers.Layer): ActivationFn | null {
  const name = String(config(layer).activation ?? 'linear');
  if (name === 'linear') return null;
  if (name === 'relu') return { name, apply: (x) => tf.relu(x) };
  const fn = (layer as unknown as { activation: { apply(x: tf.Tensor): tf.Tensor } }).activation;
  return { name, apply: (x) => fn.apply(x) };
}

/** Runs a layer on a concrete tensor in inference mode. */
export function applyLayer(layer: tf.layers.Layer, x: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return layer.apply(x, { training: false }) as tf.Tensor;
}

/** Pool size, strides and padding of a 2-D pooling layer (channels last). */
export function poolGeometry(
  name: string,
  layer: tf.layers.Layer,
): { poolSize: [number, number]; strides: [number, number]; padding: 'same' | 'valid' } {
  requireChannelsLast(name, layer);
  const poolSize = pair(config(layer).poolSize, 2);
  return { poolSize, strides: pair(config(layer).strides ?? poolSize, 1), padding: padding(name, layer) };
}
