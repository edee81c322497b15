import * as tf from '@tensorflow/tfjs';
import type { GraphBuilder } from '../graph/builder';
import type { GraphNode } from '../graph/types';
import type { Imported, OpNode } from './types';

/** A node without the names the importer fills in from the graph op. */
export type OpNodeSpec = GraphNode extends infer N
  ? N extends GraphNode
    ? Omit<N, 'output' | 'name' | 'layerName' | 'className'>
    : never
  : never;

/** What an op importer needs: the node's inputs as LRP values or constants, its attributes, the builder. */
export class ImportContext {
  constructor(
    readonly builder: GraphBuilder,
    private readonly weights: tf.NamedTensorMap | Record<string, tf.Tensor[]>,
    private readonly resolve: (name: string) => Imported,
    /** Number of ops reading each node (its children in the converter's graph). */
    readonly readers: (node: OpNode) => number,
    readonly supported: () => string[],
  ) {}

  /** The i-th input of `node`: an LRP value or a constant. */
  input(node: OpNode, i: number): Imported {
    const name = node.inputNames[i];
    if (name === undefined) throw this.error(node, `has no input ${i}`);
    return this.resolve(name);
  }

  /** The i-th input, which must be computed from the model input. */
  value(node: OpNode, i: number): number {
    const v = this.input(node, i);
    if (v.kind !== 'value') throw this.error(node, `reads a constant as input ${i} where LRP expects the activation`);
    return v.value;
  }

  /** The i-th input, which must be a constant (weights, shapes, axes). */
  constant(node: OpNode, i: number): tf.Tensor {
    const v = this.input(node, i);
    if (v.kind !== 'const') {
      throw this.error(
        node,
        `computes input ${i} ("${node.inputNames[i]}") from the image; LRP needs a constant there`,
      );
    }
    return v.tensor;
  }

  /** A constant as a JS number array. */
  numbers(node: OpNode, i: number): number[] {
    return Array.from(this.constant(node, i).dataSync());
  }

  attr<T>(node: OpNode, name: string, fallback?: T): T {
    const v = node.attrParams[name]?.value;
    return (v === undefined || v === null ? fallback : v) as T;
  }

  /** A weight tensor of the model by converter node name (`name` or `name:k`). */
  weight(name: string): tf.Tensor | undefined {
    const [base, index] = splitName(name);
    const w = (this.weights as Record<string, tf.Tensor | tf.Tensor[]>)[base];
    if (w === undefined) return undefined;
    return Array.isArray(w) ? w[index] : w;
  }

  /** Adds a node named after the graph op. */
  add(node: OpNode, spec: OpNodeSpec, suffix = ''): number {
    return this.builder.add({
      ...spec,
      name: node.name + suffix,
      layerName: node.name,
      className: node.op,
    } as Parameters<GraphBuilder['add']>[0]);
  }

  error(node: OpNode, problem: string): Error {
    return new Error(`lrp: graph node "${node.name}" (op ${node.op}) ${problem}.`);
  }

  unsupported(node: OpNode, why = ''): Error {
    return new Error(
      `lrp: graph node "${node.name}" has op ${node.op}, which LRP cannot explain${why ? ` (${why})` : ''}. ` +
        `Supported ops: ${this.supported().join(', ')}.`,
    );
  }
}

/** `name:k` → [name, k]. */
export function splitName(name: string): [string, number] {
  const parts = name.split(':');
  if (parts.length === 1) return [name, 0];
  return [parts[0], Number(parts[parts.length - 1])];
}
