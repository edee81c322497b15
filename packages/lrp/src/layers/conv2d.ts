import type { LayerAdapter } from '../graph/builder';
import { Params } from '../graph/params';
import { ConvOp } from '../ops/conv';
import { fusedActivation, layerError, padding, pair, requireChannelsLast, weight, config } from './util';

/** Conv2D: any stride, 'same'/'valid' padding, dilation; a fused activation is split off by a canonizer. */
export const conv2dAdapter: LayerAdapter = (layer, inputs, builder, name) => {
  requireChannelsLast(name, layer);
  const kernel = weight(layer, 'kernel');
  if (kernel === null) throw layerError(name, layer, 'has no kernel; build the model before explaining it.');
  const strides = pair(config(layer).strides, 1);
  const dilation = pair(config(layer).dilationRate, 1);
  const op = new ConvOp(new Params(kernel, weight(layer, 'bias'), false), {
    strides,
    padding: padding(name, layer),
    dilation,
  });
  return builder.add({
    kind: 'linear',
    name,
    layerName: name,
    className: 'Conv2D',
    inputs,
    op,
    activation: fusedActivation(layer),
  });
};
