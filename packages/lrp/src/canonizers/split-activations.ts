import type { Graph, GraphNode } from '../graph/types';
import type { Canonizer } from './types';

/**
 * Conv2D/Dense with a fused activation become a linear node plus an activation node, so rules see the
 * pre-activation output z and relevance passes the activation unchanged.
 */
export function splitActivations(): Canonizer {
  return {
    name: 'splitActivations',
    apply(graph: Graph): Graph {
      let valueCount = graph.valueCount;
      const nodes: GraphNode[] = [];
      for (const node of graph.nodes) {
        if (node.kind !== 'linear' || node.activation === null) {
          nodes.push(node);
          continue;
        }
        const z = valueCount++;
        nodes.push({ ...node, activation: null, output: z });
        nodes.push({
          kind: 'activation',
          name: `${node.name}/${node.activation.name}`,
          layerName: node.layerName,
          className: node.className,
          inputs: [z],
          output: node.output,
          activation: node.activation,
        });
      }
      return { ...graph, nodes, valueCount };
    },
  };
}
