import * as tf from '@tensorflow/tfjs';
import type { GraphNode } from '../graph/types';
import type { CompositeEntry } from './cache';
import type { PropagationStep } from './propagate';

/** Relevance sums at one node of the backward pass, one number per relevance row (image-major). */
export interface LayerConservation {
  name: string;
  className: string;
  kind: GraphNode['kind'];
  /** The rule that passed relevance through the node ('gradient' for pooling without one). */
  rule: string;
  /** Σ R at the node's output. */
  relevanceOut: number[];
  /** Σ R handed to its inputs. */
  relevanceIn: number[];
  /** out − in: what the bias and the stabilizer absorbed (negative: what they added). */
  absorbed: number[];
}

/** Where relevance went, per row: see the README's conservation table for what each rule keeps. */
export interface Diagnostics {
  /** Σ R at the start: f_target(x) (or Σ f(x)·T for a tensor target). */
  start: number[];
  /** Σ R at the input. */
  input: number[];
  /** input / start: 1 when the whole explanation conserves. */
  ratio: number[];
  /** Every node relevance passed, from the top down. */
  layers: LayerConservation[];
}

export function ruleName(entry: CompositeEntry, step: PropagationStep): string {
  const node = step.node;
  if (node.kind === 'linear') return entry.rules.get(node)?.name ?? 'gradient';
  if (node.kind === 'add' || node.kind === 'activation') return entry.nodeRules.get(node)?.name ?? 'default';
  return node.kind;
}

function rowSums(t: tf.Tensor): tf.Tensor {
  return tf.sum(tf.reshape(t, [t.shape[0], -1]), 1);
}

/** All sums in one tensor [2 + 2 × steps, rows], so that they are read back at once. */
export function diagnosticsTensor(start: tf.Tensor, input: tf.Tensor | undefined, trace: PropagationStep[]): tf.Tensor {
  const startSums = rowSums(start);
  const sums = [startSums, input ? rowSums(input) : tf.zerosLike(startSums)];
  for (const step of trace) {
    sums.push(rowSums(step.output));
    sums.push(step.inputs.length === 1 ? rowSums(step.inputs[0]) : tf.addN(step.inputs.map(rowSums)));
  }
  return tf.stack(sums);
}

/** Reads and frees the tensor of {@link diagnosticsTensor}; rows go from target-major to image-major. */
export function readDiagnostics(
  sums: tf.Tensor,
  entry: CompositeEntry,
  trace: PropagationStep[],
  n: number,
  perImage: number,
): Diagnostics {
  const table = sums.arraySync() as number[][];
  sums.dispose();
  const imageMajor = (row: number[]) => {
    const out = new Array<number>(row.length);
    for (let i = 0; i < n; i++) for (let j = 0; j < perImage; j++) out[i * perImage + j] = row[j * n + i];
    return out;
  };
  const [start, input] = [imageMajor(table[0]), imageMajor(table[1])];
  return {
    start,
    input,
    ratio: input.map((v, i) => v / start[i]),
    layers: trace.map((step, k) => {
      const out = imageMajor(table[2 + 2 * k]);
      const inn = imageMajor(table[3 + 2 * k]);
      return {
        name: step.node.name,
        className: step.node.className,
        kind: step.node.kind,
        rule: ruleName(entry, step),
        relevanceOut: out,
        relevanceIn: inn,
        absorbed: out.map((v, i) => v - inn[i]),
      };
    }),
  };
}

function finite(t: tf.Tensor): boolean {
  // x·0 is 0 for finite x and NaN for NaN or ±∞: one reduction, on every backend.
  return Number.isFinite(tf.tidy(() => tf.sum(tf.mul(t, 0)).dataSync()[0]));
}

/**
 * undefined when `input` is finite; else the first step (from the top) whose output relevance is
 * finite and whose input relevance is not, or null when relevance was not finite at the top.
 */
export function firstNonFinite(input: tf.Tensor, trace: PropagationStep[]): PropagationStep | null | undefined {
  if (finite(input)) return undefined;
  return trace.find((step) => finite(step.output) && !step.inputs.every(finite)) ?? null;
}
