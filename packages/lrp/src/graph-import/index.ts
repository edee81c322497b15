import * as tf from '@tensorflow/tfjs';
import { GraphBuilder } from '../graph/builder';
import type { Graph } from '../graph/types';
import { ACTIVATION_OPS, activationImporter } from './activation';
import { ARITHMETIC_OPS, arithmeticImporter } from './affine';
import { ImportContext, splitName } from './context';
import { CONV_OPS, MATMUL_OPS, convImporter, matMulImporter } from './conv';
import { MEAN_OPS, POOL_OPS, meanImporter, poolImporter } from './pool';
import {
  CONCAT_OPS,
  IDENTITY_OPS,
  PAD_OPS,
  RESHAPE_OPS,
  concatImporter,
  padImporter,
  reshapeImporter,
} from './structural';
import type { Imported, OpGraph, OpImporter, OpNode } from './types';

/** Options of {@link importGraphModel}. */
export interface GraphImportOptions {
  /**
   * Name of the graph node whose output is explained. Default: the model's output, looking through
   * Identity ops and skipping a final Softmax or Sigmoid (relevance starts from the logits).
   */
  output?: string;
}

const IMPORTERS: Record<string, OpImporter> = Object.fromEntries([
  ...CONV_OPS.map((op) => [op, convImporter]),
  ...MATMUL_OPS.map((op) => [op, matMulImporter]),
  ...ARITHMETIC_OPS.map((op) => [op, arithmeticImporter]),
  ...POOL_OPS.map((op) => [op, poolImporter]),
  ...MEAN_OPS.map((op) => [op, meanImporter]),
  ...PAD_OPS.map((op) => [op, padImporter]),
  ...RESHAPE_OPS.map((op) => [op, reshapeImporter]),
  ...CONCAT_OPS.map((op) => [op, concatImporter]),
  ...ACTIVATION_OPS.map((op) => [op, activationImporter]),
]);

/** Graph ops (tfjs-converter names) that LRP explains. */
export function supportedGraphOps(): string[] {
  return [...Object.keys(IMPORTERS), ...IDENTITY_OPS, 'Const', 'Placeholder'].sort();
}

/**
 * Whether `model` is a tfjs-converter GraphModel (`tf.loadGraphModel`), also one made by another copy
 * of tfjs-converter than ours (bundlers sometimes ship two), recognised by its executor's graph.
 */
export function isGraphModel(model: unknown): model is tf.GraphModel {
  if (model instanceof tf.GraphModel) return true;
  const m = model as { execute?: unknown; executor?: { graph?: { nodes?: unknown } } } | null;
  return typeof m?.execute === 'function' && typeof m.executor?.graph?.nodes === 'object';
}

function opGraph(model: tf.GraphModel): OpGraph {
  const graph = (model as unknown as { executor?: { graph?: OpGraph } }).executor?.graph;
  if (!graph?.nodes) throw new Error('lrp: the GraphModel is not loaded (no graph); await tf.loadGraphModel(…) first.');
  return graph;
}

const PASS_THROUGH = new Set<string>(IDENTITY_OPS);

/**
 * The node to explain: the named one (a node name, or an output's signature key: with a signature in
 * model.json tfjs names outputs by their keys, e.g. `activation_4` for node `Identity`), or the model's
 * output through Identity ops and a final Softmax/Sigmoid.
 */
function outputNode(graph: OpGraph, name: string | undefined): OpNode {
  const outputs = graph.outputs.map((o) => (o.signatureKey ? `${o.signatureKey} (node ${o.name})` : o.name));
  const find = (n: string): OpNode => {
    const node = graph.nodes[splitName(n)[0]] ?? graph.outputs.find((o) => o.signatureKey === n);
    if (!node) {
      throw new Error(
        `lrp: the GraphModel has no node "${n}"; pass one of its node names as output (its outputs: ${outputs.join(', ')}).`,
      );
    }
    return node;
  };
  if (name !== undefined) return find(name);
  if (graph.outputs.length !== 1) {
    throw new Error(
      `lrp: the GraphModel has ${graph.outputs.length} outputs (${outputs.join(', ')}); name the one to explain with the output option.`,
    );
  }
  let node = graph.outputs[0];
  while (PASS_THROUGH.has(node.op) && node.inputs[0]) node = node.inputs[0];
  if ((node.op === 'Softmax' || node.op === 'Sigmoid') && node.inputs[0]) node = node.inputs[0];
  while (PASS_THROUGH.has(node.op) && node.inputs[0]) node = node.inputs[0];
  return node;
}

/**
 * The LRP graph of a GraphModel: each graph op between the input placeholder and the explained node
 * becomes LRP nodes (one importer per op family in this folder); constants (weights, shapes, axes)
 * stay constants; per-channel affine ops are folded into the conv/dense layer before them or kept as
 * input preprocessing. Fails on an op it cannot explain, naming the op, the node and the supported set.
 */
export function importGraphModel(model: tf.GraphModel, options: GraphImportOptions = {}): Graph {
  const graph = opGraph(model);
  if (model.inputs.length !== 1) {
    throw new Error(
      `lrp: the GraphModel has ${model.inputs.length} inputs (${model.inputNodes.join(', ')}); explain supports one input.`,
    );
  }
  const inputName = splitName(model.inputNodes[0])[0];
  const inputShape = (model.inputs[0].shape ?? []).map((d, i) => (i === 0 || d < 0 ? null : d));
  const top = outputNode(graph, options.output);
  const builder = new GraphBuilder();
  const input = builder.newValue();
  builder.layers.push({ name: inputName, className: 'Placeholder', value: input });
  const done = new Map<string, Imported>();
  const weights = model.weights;
  const visiting = new Set<string>();
  const resolve = (fullName: string): Imported => {
    const [name, index] = splitName(fullName);
    const known = done.get(name);
    if (known) return known;
    if (name === inputName) return { kind: 'value', value: input };
    const node = graph.nodes[name];
    const weight = ctx.weight(fullName);
    if (weight !== undefined) return { kind: 'const', tensor: weight };
    if (node === undefined) throw new Error(`lrp: the GraphModel refers to a node "${name}" it does not have.`);
    if (index !== 0) throw ctx.unsupported(node, `output ${index} is read; LRP reads the first output of each op`);
    if (visiting.has(name)) throw ctx.unsupported(node, 'it is part of a cycle (control flow)');
    visiting.add(name);
    let result: Imported;
    if (PASS_THROUGH.has(node.op)) {
      result = ctx.input(node, 0);
    } else if (node.op === 'Placeholder') {
      throw ctx.error(node, 'is a second input placeholder; explain supports one input');
    } else {
      const importer = IMPORTERS[node.op];
      if (importer === undefined) throw ctx.unsupported(node);
      const value = importer(node, ctx);
      builder.layers.push({ name, className: node.op, value });
      result = { kind: 'value', value };
    }
    done.set(name, result);
    return result;
  };
  const ctx = new ImportContext(builder, weights, resolve, (n) => n.children.length, supportedGraphOps);
  let output = -1;
  try {
    tf.tidy(() => {
      const r = resolve(top.name);
      if (r.kind !== 'value') throw new Error(`lrp: the output node "${top.name}" is a constant.`);
      output = r.value;
    });
  } catch (e) {
    for (const t of builder.owned) t.dispose();
    throw e;
  }
  return {
    nodes: builder.nodes,
    input,
    output,
    valueCount: builder.valueCount,
    inputShape,
    layers: builder.layers,
    owned: builder.owned,
  };
}

/** Whether the GraphModel adds two computed tensors (a residual connection). */
export function graphModelResidual(model: tf.GraphModel): boolean {
  const graph = opGraph(model);
  const weights = model.weights;
  const computed = (n: OpNode | undefined): boolean => {
    let node = n;
    while (node && PASS_THROUGH.has(node.op)) node = node.inputs[0];
    return node !== undefined && node.op !== 'Const' && weights[node.name] === undefined;
  };
  return Object.values(graph.nodes).some(
    (n) => (n.op === 'Add' || n.op === 'AddV2') && computed(n.inputs[0]) && computed(n.inputs[1]),
  );
}

/** Ids of the GraphModel's weight tensors: the cache is rebuilt when they change. */
export function graphModelWeightIds(model: tf.GraphModel): unknown[] {
  return Object.values(model.weights)
    .flat()
    .map((t) => (t as unknown as { dataId: unknown }).dataId);
}

export type { OpNode, OpGraph, OpImporter } from './types';
