import type * as tf from '@tensorflow/tfjs';
import type { ImportContext } from './context';

/** The parts of tfjs-converter's graph node that the importer reads (the type is not exported). */
export interface OpNode {
  name: string;
  op: string;
  inputNames: string[];
  inputs: OpNode[];
  children: OpNode[];
  attrParams: Record<string, { value?: unknown; type: string } | undefined>;
  /** The output's key in the model's signature, when model.json has one (tfjs then names outputs by it). */
  signatureKey?: string;
}

/** tfjs-converter's parsed graph (`GraphModel.executor.graph`). */
export interface OpGraph {
  nodes: Record<string, OpNode>;
  inputs: OpNode[];
  outputs: OpNode[];
  placeholders: OpNode[];
}

/** An imported node's output: a value of the LRP graph, or a constant of the model. */
export type Imported = { kind: 'value'; value: number } | { kind: 'const'; tensor: tf.Tensor };

/**
 * Turns one graph op into LRP graph nodes; returns the LRP value holding the op's output. One file per
 * op family in this folder.
 */
export type OpImporter = (node: OpNode, ctx: ImportContext) => number;
