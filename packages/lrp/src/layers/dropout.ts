import type { LayerAdapter } from '../graph/builder';

/** Dropout and noise layers are the identity at inference; so is their relevance. */
export const dropoutAdapter: LayerAdapter = (layer, inputs, builder, name) =>
  builder.add({
    kind: 'structural',
    role: 'identity',
    name,
    layerName: name,
    className: layer.getClassName(),
    inputs,
    apply: ([x]) => x,
    propagate: (r) => [r],
  });

export const DROPOUT_CLASSES = [
  'Dropout',
  'SpatialDropout1D',
  'SpatialDropout2D',
  'GaussianDropout',
  'GaussianNoise',
  'AlphaDropout',
];
