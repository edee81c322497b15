import * as tf from '@tensorflow/tfjs';
import type { LayerAdapter } from '../graph/builder';
import { config, requireChannelsLast } from './util';

function pads(p: unknown): [[number, number], [number, number]] {
  if (typeof p === 'number')
    return [
      [p, p],
      [p, p],
    ];
  const a = p as (number | number[])[];
  const side = (v: number | number[]): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);
  return [side(a[0]), side(a[1])];
}

/** ZeroPadding2D: relevance of the padding is dropped (the zeros carry none), the rest cropped back. */
export const zeroPadding2dAdapter: LayerAdapter = (layer, inputs, builder, name) => {
  requireChannelsLast(name, layer);
  const [[top, bottom], [left, right]] = pads(config(layer).padding ?? 1);
  return builder.add({
    kind: 'structural',
    role: 'pad',
    name,
    layerName: name,
    className: 'ZeroPadding2D',
    inputs,
    apply: ([x]) =>
      tf.pad(x, [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ]),
    propagate: (r, [x]) => {
      const [, h, w, c] = x.shape as number[];
      return [tf.slice(r, [0, top, left, 0], [r.shape[0] as number, h, w, c])];
    },
  });
};
