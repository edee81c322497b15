import type { LayerAdapter } from '../graph/builder';
import { Params } from '../graph/params';
import { DepthwiseConvOp } from '../ops/depthwise-conv';
import { config, fusedActivation, layerError, padding, pair, requireChannelsLast, weight } from './util';

/** DepthwiseConv2D (MobileNet): any stride, multiplier, 'same'/'valid' padding; rules see a conv. */
export const depthwiseConv2dAdapter: LayerAdapter = (layer, inputs, builder, name) => {
  requireChannelsLast(name, layer);
  const kernel = weight(layer, 'depthwise_kernel', 'depthwiseKernel');
  if (kernel === null) throw layerError(name, layer, 'has no depthwise kernel; build the model before explaining it.');
  const channels = kernel.shape[2] as number;
  const op = new DepthwiseConvOp(
    new Params(builder.own(DepthwiseConvOp.fromTfjsKernel(kernel)), weight(layer, 'bias'), false),
    {
      strides: pair(config(layer).strides, 1),
      padding: padding(name, layer),
      dilation: pair(config(layer).dilationRate, 1),
    },
    channels,
  );
  return builder.add({
    kind: 'linear',
    name,
    layerName: name,
    className: 'DepthwiseConv2D',
    inputs,
    op,
    activation: fusedActivation(layer),
  });
};
