import type { LayerAdapter } from '../graph/builder';
import { Params } from '../graph/params';
import { DenseOp } from '../ops/dense';
import { fusedActivation, layerError, weight } from './util';

/** Dense; a fused activation is split off by a canonizer. */
export const denseAdapter: LayerAdapter = (layer, inputs, builder, name) => {
  const kernel = weight(layer, 'kernel');
  if (kernel === null) throw layerError(name, layer, 'has no kernel; build the model before explaining it.');
  return builder.add({
    kind: 'linear',
    name,
    layerName: name,
    className: 'Dense',
    inputs,
    op: new DenseOp(new Params(kernel, weight(layer, 'bias'), false)),
    activation: fusedActivation(layer),
  });
};
