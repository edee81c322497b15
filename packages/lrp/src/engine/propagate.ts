import * as tf from '@tensorflow/tfjs';
import type { GraphNode, LinearNode } from '../graph/types';
import type { CompositeEntry } from './cache';
import { LinearRuleContext } from './context';

/** One node's step of the backward pass: the relevance at its output and at each of its inputs. */
export interface PropagationStep {
  node: GraphNode;
  output: tf.Tensor;
  inputs: tf.Tensor[];
}

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
    case 'add': {
      const rule = entry.nodeRules.get(node)!;
      const info = { name: node.name, className: node.className, kind: node.kind };
      const inputs = node.inputs.map((v) => values[v]);
      return rule.relevance({ node: info, inputs, output: values[node.output], repeats }, relevance);
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
 * `trace`, when given, receives every node's step in backward order (for diagnostics and for
 * finding where relevance stopped being finite).
 *
 * `masks` (value id → multiplier broadcastable to that value's relevance rows) conditions the
 * relevance (Concept Relevance Propagation): a value's relevance is complete once every reader has
 * been visited, i.e. just before its writer runs, so the mask applies there, to the sum of all paths.
 */
export interface PropagateOptions {
  trace?: PropagationStep[];
  masks?: ReadonlyMap<number, tf.Tensor>;
}

export function propagate(
  entry: CompositeEntry,
  values: tf.Tensor[],
  top: number,
  topRelevance: tf.Tensor,
  repeats: number,
  { trace, masks }: PropagateOptions = {},
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
    trace?.push({ node, output: r, inputs: lower });
    node.inputs.forEach((v, k) => {
      const prev = relevance.get(v);
      relevance.set(v, prev === undefined ? lower[k] : tf.add(prev, lower[k]));
    });
  }
  return relevance;
}
