import * as tf from '@tensorflow/tfjs';
import type { LayerAdapter } from '../graph/builder';
import { applyLayer, config } from './util';

function activationName(layer: tf.layers.Layer): string {
  const c = layer.getClassName();
  if (c === 'Activation') return String(config(layer).activation ?? 'linear');
  if (c === 'ReLU') return config(layer).maxValue == null ? 'relu' : 'relu-max';
  return c.toLowerCase();
}

/**
 * Activation layers: relevance passes through unchanged (the tutorial's ReLU pass-through; relevance
 * at a unit the activation switched off is already zero).
 */
export const activationAdapter: LayerAdapter = (layer, inputs, builder, name) => {
  const act = activationName(layer);
  return builder.add({
    kind: 'activation',
    name,
    layerName: name,
    className: layer.getClassName(),
    inputs,
    activation: { name: act, apply: act === 'relu' ? (x) => tf.relu(x) : (x) => applyLayer(layer, x) },
  });
};

export const ACTIVATION_CLASSES = ['Activation', 'ReLU', 'LeakyReLU', 'ELU', 'PReLU', 'ThresholdedReLU', 'Softmax'];
