import * as tf from '@tensorflow/tfjs';
import type { LayerAdapter } from '../graph/builder';
import { config, requireChannelsLast } from './util';

/** Cropping2D: the kept pixels get their relevance back, the cropped-off ones none. */
export const cropping2dAdapter: LayerAdapter = (layer, inputs, builder, name) => {
  requireChannelsLast(name, layer);
  const c = config(layer).cropping as number | number[] | number[][];
  const side = (v: number | number[]): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);
  const [[top, bottom], [left, right]] =
    typeof c === 'number' ? [side(c), side(c)] : [side((c as number[][])[0] ?? c), side((c as number[][])[1] ?? c)];
  return builder.add({
    kind: 'structural',
    role: 'reshape',
    name,
    layerName: name,
    className: 'Cropping2D',
    inputs,
    apply: ([x]) => {
      const [n, h, w, ch] = x.shape as number[];
      return tf.slice(x, [0, top, left, 0], [n, h - top - bottom, w - left - right, ch]);
    },
    propagate: (r) => [
      tf.pad(r, [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ]),
    ],
  });
};
