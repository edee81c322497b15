import type { LayerAdapter } from '../graph/builder';

/** Add (residual sums): relevance is split in proportion to each input's contribution. */
export const addAdapter: LayerAdapter = (layer, inputs, builder, name) =>
  builder.add({ kind: 'add', name, layerName: name, className: 'Add', inputs });
