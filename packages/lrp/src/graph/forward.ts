import * as tf from '@tensorflow/tfjs';
import type { Graph, GraphNode } from './types';

/** One node's output from its inputs, in inference mode. */
export function runNode(node: GraphNode, inputs: tf.Tensor[]): tf.Tensor {
  switch (node.kind) {
    case 'linear': {
      const z = node.op.forward(inputs[0], node.op.params);
      return node.activation ? node.activation.apply(z) : z;
    }
    case 'activation':
      return node.activation.apply(inputs[0]);
    case 'add':
      return inputs.length === 2 ? tf.add(inputs[0], inputs[1]) : tf.addN(inputs);
    case 'structural':
      return node.apply(inputs);
    case 'batchnorm':
      return tf.add(tf.mul(inputs[0], node.scale), node.shift);
  }
}

/**
 * The forward pass that LRP reuses: every node in order, keeping every value (each layer's input and,
 * for linear layers, the pre-activation output). Call inside tf.tidy.
 */
export function runForward(graph: Graph, x: tf.Tensor): tf.Tensor[] {
  const values: tf.Tensor[] = new Array(graph.valueCount);
  values[graph.input] = x;
  for (const node of graph.nodes) {
    values[node.output] = runNode(
      node,
      node.inputs.map((v) => values[v]),
    );
  }
  return values;
}
