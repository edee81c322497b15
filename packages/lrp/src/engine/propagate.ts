import * as tf from '@tensorflow/tfjs';
import type { GraphNode, LinearNode } from '../graph/types';
import { repeatRows } from '../ops/repeat';
import { stabilize } from '../rules/stabilizer';
import type { CompositeEntry } from './cache';
import { LinearRuleContext } from './context';

/** Stabilizer of the proportional split at Add (zennit's Norm, with the tutorial's ε). */
const ADD_STABILIZER = { epsilon: 1e-9, mode: 'sign' as const };

function linearRelevance(
  entry: CompositeEntry,
  node: LinearNode,
  values: tf.Tensor[],
  relevance: tf.Tensor,
  repeats: number,
  imageShape: number[],
): tf.Tensor {
  if (node.activation !== null) {
    throw new Error(
      `lrp: layer "${node.name}" still has its fused ${node.activation.name} activation; keep the splitActivations canonizer in the composite.`,
    );
  }
  const info = entry.infos.get(node)!;
  const op = entry.relevanceOps.get(node)!;
  const ctx = new LinearRuleContext({
    graph: entry.graph,
    node,
    layer: info,
    op,
    input: values[node.inputs[0]],
    forwardOutput: values[node.output],
    repeats,
    cache: entry.nodeCache(node),
    imageShape,
  });
  const rule = entry.rules.get(node) ?? null;
  if (rule !== null) return rule.relevance(ctx, relevance);
  if (op.params === null) {
    // Pooling without a rule: relevance follows the gradient (to the max, or evenly over the window).
    return ctx.backward(relevance, null);
  }
  throw new Error(
    `lrp: composite "${entry.composite.name}" has no rule for layer "${node.name}" (${node.className}); ` +
      'add one, e.g. composite({ rules: [{ match: { type: "conv" }, rule: gamma() }, ...] }).',
  );
}

function nodeRelevance(
  entry: CompositeEntry,
  node: GraphNode,
  values: tf.Tensor[],
  relevance: tf.Tensor,
  repeats: number,
  imageShape: number[],
): tf.Tensor[] {
  switch (node.kind) {
    case 'linear':
      return [linearRelevance(entry, node, values, relevance, repeats, imageShape)];
    case 'activation':
      return [relevance];
    case 'add': {
      // R_i = x_i / Σ x · R: each branch gets relevance in proportion to what it added.
      const s = tf.div(relevance, repeatRows(stabilize(values[node.output], ADD_STABILIZER), repeats));
      return node.inputs.map((v) => tf.mul(repeatRows(values[v], repeats), s));
    }
    case 'structural':
      return node.propagate(
        relevance,
        node.inputs.map((v) => values[v]),
        values[node.output],
      );
    case 'batchnorm':
      throw new Error(
        `lrp: BatchNormalization layer "${node.name}" was not folded; keep the foldBatchNorm canonizer in the composite.`,
      );
  }
}

/**
 * Walks the graph backwards from `top` (holding `topRelevance`, batch N × repeats), applying each
 * node's rule; relevance reaching a value from several readers is summed. Returns the relevance of
 * every value reached. Call inside tf.tidy.
 *
 * `masks` (value id → multiplier broadcastable to that value's relevance rows) conditions the
 * relevance (Concept Relevance Propagation): a value's relevance is complete once every reader has
 * been visited, i.e. just before its writer runs, so the mask applies there, to the sum of all paths.
 */
export function propagate(
  entry: CompositeEntry,
  values: tf.Tensor[],
  top: number,
  topRelevance: tf.Tensor,
  repeats: number,
  masks?: ReadonlyMap<number, tf.Tensor>,
): Map<number, tf.Tensor> {
  const relevance = new Map<number, tf.Tensor>([[top, topRelevance]]);
  const imageShape = values[entry.graph.input].shape.slice(1);
  const nodes = entry.graph.nodes;
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    let r = relevance.get(node.output);
    if (r === undefined) continue;
    const mask = masks?.get(node.output);
    if (mask !== undefined) {
      r = tf.mul(r, mask);
      relevance.set(node.output, r);
    }
    const lower = nodeRelevance(entry, node, values, r, repeats, imageShape);
    node.inputs.forEach((v, k) => {
      const prev = relevance.get(v);
      relevance.set(v, prev === undefined ? lower[k] : tf.add(prev, lower[k]));
    });
  }
  return relevance;
}
