import * as tf from '@tensorflow/tfjs';
import type { LayerAdapter } from '../graph/builder';
import { Params } from '../graph/params';
import { GradientLinearOp } from '../ops/gradient';
import { config, fusedActivation, layerError, weight } from './util';

/** Conv1D (NWC, kernel [k, in, out]): re-applied with modified weights, transposed by its gradient. */
export const conv1dAdapter: LayerAdapter = (layer, inputs, builder, name) => {
  const cfg = config(layer);
  if (cfg.dataFormat != null && cfg.dataFormat !== 'channelsLast') {
    throw layerError(name, layer, `uses dataFormat '${String(cfg.dataFormat)}'; LRP supports channelsLast only.`);
  }
  const kernel = weight(layer, 'kernel');
  if (kernel === null) throw layerError(name, layer, 'has no kernel; build the model before explaining it.');
  const one = (v: unknown) => (Array.isArray(v) ? Number(v[0]) : Number(v ?? 1));
  const stride = one(cfg.strides);
  const dilation = one(cfg.dilationRate);
  const pad = cfg.padding === 'causal' ? 'causal' : (cfg.padding as 'same' | 'valid');
  if (pad === 'causal') throw layerError(name, layer, "uses padding 'causal'; LRP supports 'same' and 'valid'.");
  const op = new GradientLinearOp(new Params(kernel, weight(layer, 'bias'), false), {
    type: 'conv',
    forward: (x, k, b) => {
      const y = tf.conv1d(x as tf.Tensor3D, k as tf.Tensor3D, stride, pad, 'NWC', dilation);
      return b ? tf.add(y, b) : y;
    },
  });
  return builder.add({
    kind: 'linear',
    name,
    layerName: name,
    className: 'Conv1D',
    inputs,
    op,
    activation: fusedActivation(layer),
  });
};
