import type { LayerAdapter } from '../graph/builder';
import { Params } from '../graph/params';
import { ConvOp } from '../ops/conv';
import { DepthwiseConvOp } from '../ops/depthwise-conv';
import { config, fusedActivation, layerError, padding, pair, requireChannelsLast, weight } from './util';

/**
 * SeparableConv2D: a depthwise conv (strides, padding, dilation) then a 1×1 pointwise conv (bias,
 * activation). Two linear nodes, `<name>/depthwise` and `<name>`, so each gets its own rule.
 */
export const separableConv2dAdapter: LayerAdapter = (layer, inputs, builder, name) => {
  requireChannelsLast(name, layer);
  const depthwise = weight(layer, 'depthwise_kernel', 'depthwiseKernel');
  const pointwise = weight(layer, 'pointwise_kernel', 'pointwiseKernel');
  if (depthwise === null || pointwise === null) {
    throw layerError(name, layer, 'has no kernels; build the model before explaining it.');
  }
  const geometry = {
    strides: pair(config(layer).strides, 1),
    padding: padding(name, layer),
    dilation: pair(config(layer).dilationRate, 1),
  };
  const mid = builder.add({
    kind: 'linear',
    name: `${name}/depthwise`,
    layerName: name,
    className: 'SeparableConv2D',
    inputs,
    op: new DepthwiseConvOp(
      new Params(builder.own(DepthwiseConvOp.fromTfjsKernel(depthwise)), null, false),
      geometry,
      depthwise.shape[2] as number,
    ),
    activation: null,
  });
  return builder.add({
    kind: 'linear',
    name,
    layerName: name,
    className: 'SeparableConv2D',
    inputs: [mid],
    op: new ConvOp(new Params(pointwise, weight(layer, 'bias'), false), {
      strides: [1, 1],
      padding: 'valid',
      dilation: [1, 1],
    }),
    activation: fusedActivation(layer),
  });
};
