import type { LayerAdapter } from '../graph/builder';

/** InputLayer: no computation; a model's inputs are mapped before its layers are visited. */
export const inputLayerAdapter: LayerAdapter = (layer, inputs) => {
  if (inputs.length !== 1) throw new Error(`lrp: input layer "${layer.name}" is not connected to a model input`);
  return inputs[0];
};
