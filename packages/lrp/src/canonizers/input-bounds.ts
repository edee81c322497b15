import * as tf from '@tensorflow/tfjs';
import type { Graph, LinearNode, StructuralNode } from '../graph/types';
import type { Bound } from '../rules/types';
import { producers } from './graph-utils';

/**
 * The preprocessing layers between the model input and `node` (Rescaling, Normalization, Resizing,
 * CenterCrop, ChannelAffine, ZeroPadding2D, dropout), or an Error naming the layer in the way.
 */
export function preprocessingChain(graph: Graph, node: LinearNode): StructuralNode[] | Error {
  const prod = producers(graph);
  const chain: StructuralNode[] = [];
  let v = node.inputs[0];
  while (v !== graph.input) {
    const p = prod.get(v);
    if (p === undefined) return new Error(`value ${v} has no producer`);
    if (p.kind !== 'structural' || !(p.role === 'preprocess' || p.role === 'identity' || p.role === 'pad')) {
      return new Error(
        `lrp: z^B bounds for the model input cannot be carried to "${node.name}": layer "${p.name}" (${p.className}) ` +
          "is in the way (only Rescaling, Normalization, Resizing, CenterCrop, ChannelAffine, ZeroPadding2D and dropout are). Use zBox({ space: 'layer' }) " +
          "with bounds for that layer's input.",
      );
    }
    chain.unshift(p);
    v = p.inputs[0];
  }
  return chain;
}

/** A bound as a batch-1 tensor broadcastable to `[1, ...imageShape]`. */
export function boundTensor(bound: Bound, imageShape: number[]): tf.Tensor {
  const channels = imageShape[imageShape.length - 1];
  if (typeof bound === 'number') return tf.fill([1, ...imageShape], bound);
  if (Array.isArray(bound)) {
    if (bound.length !== channels) {
      throw new Error(`lrp: per-channel bounds have ${bound.length} values but the input has ${channels} channels`);
    }
    return tf.mul(tf.ones([1, ...imageShape]), tf.tensor1d(bound));
  }
  const t = bound.rank === imageShape.length ? tf.expandDims(bound, 0) : bound;
  return tf.mul(tf.ones([1, ...imageShape]), t);
}

/**
 * Carries [low, high] (for the model input) through the preprocessing layers to `node`'s input. The
 * layers are affine per channel, or resample pixels with weights ≥ 0 (Resizing, CenterCrop), so the
 * images of the two bounds still enclose every input; a negative scale swaps them, hence min/max.
 * Padding pads the bounds with zeros as it pads the input.
 */
export function mapInputBounds(
  graph: Graph,
  node: LinearNode,
  low: Bound,
  high: Bound,
  imageShape: number[],
): { low: tf.Tensor; high: tf.Tensor } {
  const chain = preprocessingChain(graph, node);
  if (chain instanceof Error) throw chain;
  let l = boundTensor(low, imageShape);
  let h = boundTensor(high, imageShape);
  for (const n of chain) {
    l = n.apply([l]);
    h = n.apply([h]);
  }
  return { low: tf.minimum(l, h), high: tf.maximum(l, h) };
}
