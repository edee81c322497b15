import type { Graph, GraphNode } from '../graph/types';

/** Node producing each value. */
export function producers(graph: Graph): Map<number, GraphNode> {
  const m = new Map<number, GraphNode>();
  for (const n of graph.nodes) m.set(n.output, n);
  return m;
}

/** Nodes reading each value. */
export function consumers(graph: Graph): Map<number, GraphNode[]> {
  const m = new Map<number, GraphNode[]>();
  for (const n of graph.nodes) {
    for (const v of n.inputs) {
      const list = m.get(v);
      if (list) list.push(n);
      else m.set(v, [n]);
    }
  }
  return m;
}
