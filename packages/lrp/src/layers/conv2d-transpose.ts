import * as tf from '@tensorflow/tfjs';
import type { LayerAdapter } from '../graph/builder';
import { Params } from '../graph/params';
import { GradientLinearOp } from '../ops/gradient';
import { config, fusedActivation, layerError, padding, pair, requireChannelsLast, weight } from './util';

/**
 * Conv2DTranspose. tfjs keeps its kernel as [kh, kw, out, in]; LRP keeps [kh, kw, in, out] (output
 * channels last, as every weight layer, so that BatchNorm folding scales the right axis). Transposed
 * by the gradient of its forward pass, which is an ordinary conv.
 */
export const conv2dTransposeAdapter: LayerAdapter = (layer, inputs, builder, name) => {
  requireChannelsLast(name, layer);
  const tfjsKernel = weight(layer, 'kernel');
  if (tfjsKernel === null) throw layerError(name, layer, 'has no kernel; build the model before explaining it.');
  const cfg = config(layer);
  const strides = pair(cfg.strides, 1);
  if (pair(cfg.dilationRate, 1).some((d) => d !== 1)) throw layerError(name, layer, 'uses dilation; LRP supports 1.');
  const pad = padding(name, layer);
  const [kh, kw] = tfjsKernel.shape;
  const length = (size: number, k: number, s: number) => (pad === 'same' ? size * s : size * s + Math.max(k - s, 0));
  const op = new GradientLinearOp(
    new Params(builder.own(tf.transpose(tfjsKernel, [0, 1, 3, 2])), weight(layer, 'bias'), false),
    {
      type: 'conv',
      forward: (x, k, b) => {
        const [n, h, w] = x.shape;
        const filter = tf.transpose(k, [0, 1, 3, 2]) as tf.Tensor4D;
        const shape: [number, number, number, number] = [
          n,
          length(h as number, kh as number, strides[0]),
          length(w as number, kw as number, strides[1]),
          filter.shape[2],
        ];
        const y = tf.conv2dTranspose(x as tf.Tensor4D, filter, shape, strides, pad);
        return b ? tf.add(y, b) : y;
      },
    },
  );
  return builder.add({
    kind: 'linear',
    name,
    layerName: name,
    className: 'Conv2DTranspose',
    inputs,
    op,
    activation: fusedActivation(layer),
  });
};
