import type { LayerAdapter } from '../graph/builder';
import { applyLayer } from './util';

/**
 * Rescaling (`y = x·scale + offset`): input preprocessing. Relevance passes through; z^B bounds given
 * for the model input are mapped through it to the first linear layer.
 */
export const rescalingAdapter: LayerAdapter = (layer, inputs, builder, name) =>
  builder.add({
    kind: 'structural',
    role: 'preprocess',
    name,
    layerName: name,
    className: 'Rescaling',
    inputs,
    apply: ([x]) => applyLayer(layer, x),
    propagate: (r) => [r],
  });
