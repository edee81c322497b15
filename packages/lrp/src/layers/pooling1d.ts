import * as tf from '@tensorflow/tfjs';
import type { LayerAdapter } from '../graph/builder';
import { AvgPoolOp, MaxPoolOp } from '../ops/pool';
import { config, layerError } from './util';

/**
 * MaxPooling1D / AveragePooling1D as their 2-D counterparts on a `[N, 1, L, C]` view, so that they
 * get the same rules and routing.
 */
export const pooling1dAdapter: LayerAdapter = (layer, inputs, builder, name) => {
  const cfg = config(layer);
  const one = (v: unknown, fallback: number) => (Array.isArray(v) ? Number(v[0]) : Number(v ?? fallback));
  const pool = one(cfg.poolSize, 2);
  const stride = one(cfg.strides, pool);
  const pad = (cfg.padding ?? 'valid') as 'same' | 'valid';
  if (pad !== 'same' && pad !== 'valid') throw layerError(name, layer, `uses padding '${String(pad)}'.`);
  const className = layer.getClassName();
  const view = builder.add({
    kind: 'structural',
    role: 'reshape',
    name: `${name}/2d`,
    layerName: name,
    className,
    inputs,
    apply: ([x]) => tf.expandDims(x, 1),
    propagate: (r) => [tf.squeeze(r, [1])],
  });
  const geometry = { poolSize: [1, pool] as [number, number], strides: [1, stride] as [number, number], padding: pad };
  const pooled = builder.add({
    kind: 'linear',
    name,
    layerName: name,
    className,
    inputs: [view],
    op: className === 'MaxPooling1D' ? new MaxPoolOp(geometry) : new AvgPoolOp(geometry),
    activation: null,
  });
  return builder.add({
    kind: 'structural',
    role: 'reshape',
    name: `${name}/1d`,
    layerName: name,
    className,
    inputs: [pooled],
    apply: ([x]) => tf.squeeze(x, [1]),
    propagate: (r) => [tf.expandDims(r, 1)],
  });
};
