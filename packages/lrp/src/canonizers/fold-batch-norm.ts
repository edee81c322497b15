import * as tf from '@tensorflow/tfjs';
import { Params } from '../graph/params';
import type { BatchNormNode, Graph, GraphNode, LinearNode } from '../graph/types';
import type { Canonizer } from './types';
import { consumers, producers } from './graph-utils';
import { ConvOp } from '../ops/conv';

function isWeightNode(n: GraphNode | undefined): n is LinearNode {
  return (
    n !== undefined && n.kind === 'linear' && (n.op.type === 'conv' || n.op.type === 'dense') && n.activation === null
  );
}

/**
 * Folds each BatchNormalization (y = x·scale + shift) into a neighbouring Conv2D/Dense so that the
 * model's output is unchanged and rules see one linear layer:
 * - after a linear layer (its only reader): W' = W·scale, b' = b·scale + shift (per output channel);
 * - else before a Dense or a 'valid' Conv2D (its only reader): W' = W·scale (per input channel),
 *   b' = b + Σ shift·W ('same' padding would pad the shifted input with unshifted zeros, so it is
 *   refused).
 */
export function foldBatchNorm(): Canonizer {
  return {
    name: 'foldBatchNorm',
    apply(graph, keep): Graph {
      let nodes = [...graph.nodes];
      let layers = graph.layers;
      // A folded-away value's layer reports the relevance of the value that replaces it.
      const alias = (from: number, to: number) => {
        layers = layers.map((l) => (l.value === from ? { ...l, value: to } : l));
      };
      for (;;) {
        const bn = nodes.find((n): n is BatchNormNode => n.kind === 'batchnorm');
        if (!bn) break;
        const g = { ...graph, nodes };
        const prod = producers(g);
        const cons = consumers(g);
        const before = prod.get(bn.inputs[0]);
        const after = cons.get(bn.output) ?? [];
        if (isWeightNode(before) && (cons.get(before.output) ?? []).length === 1) {
          const p = before.op.params!;
          const kernel = keep(tf.mul(p.kernel, bn.scale));
          const bias = keep(tf.tidy(() => tf.add(tf.mul(p.biasOrZeros(), bn.scale), bn.shift)));
          const folded: LinearNode = {
            ...before,
            op: before.op.withParams(new Params(kernel, bias, false)),
            output: bn.output,
          };
          nodes = nodes.filter((n) => n !== bn).map((n) => (n === before ? folded : n));
          alias(before.output, bn.output);
          continue;
        }
        const next = after.length === 1 ? after[0] : undefined;
        if (
          isWeightNode(next) &&
          (next.op.type === 'dense' || (next.op instanceof ConvOp && next.op.geometry.padding === 'valid'))
        ) {
          const p = next.op.params!;
          const axis = p.kernel.rank - 2; // input-channel axis of [in, out] and [kh, kw, in, out]
          const shape = p.kernel.shape.map((_, i) => (i === axis ? -1 : 1));
          const kernel = keep(tf.mul(p.kernel, tf.reshape(bn.scale, shape)));
          const bias = keep(
            tf.tidy(() => {
              const sumAxes = p.kernel.shape.map((_, i) => i).slice(0, -1);
              return tf.add(p.biasOrZeros(), tf.sum(tf.mul(p.kernel, tf.reshape(bn.shift, shape)), sumAxes));
            }),
          );
          const folded: LinearNode = {
            ...next,
            op: next.op.withParams(new Params(kernel, bias, false)),
            inputs: [bn.inputs[0]],
          };
          nodes = nodes.filter((n) => n !== bn).map((n) => (n === next ? folded : n));
          alias(bn.output, bn.inputs[0]);
          continue;
        }
        throw new Error(
          `lrp: BatchNormalization layer "${bn.name}" cannot be folded: it must directly follow a Conv2D/Dense ` +
            "with a linear activation (and be that layer's only reader), or directly feed a Dense or 'valid' Conv2D " +
            'as its only reader. Move the activation after the BatchNormalization, or fold it yourself.',
        );
      }
      return { ...graph, nodes, layers };
    },
  };
}
