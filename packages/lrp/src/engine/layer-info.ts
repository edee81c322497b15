import type { Graph, LinearNode } from '../graph/types';
import type { LayerInfo } from '../rules/types';

const NON_NEGATIVE_ACTIVATIONS = new Set([
  'relu',
  'relu6',
  'relu-max',
  'sigmoid',
  'softmax',
  'softplus',
  'thresholdedrelu',
]);

/** Values known to be ≥ 0 from the graph alone (after a ReLU, through pooling and reshapes). */
function nonNegativeValues(graph: Graph): Set<number> {
  const known = new Set<number>();
  for (const n of graph.nodes) {
    const allIn = n.inputs.every((v) => known.has(v));
    const nonNegative =
      (n.kind === 'activation' && NON_NEGATIVE_ACTIVATIONS.has(n.activation.name)) ||
      (n.kind === 'linear' && n.op.params === null && n.activation === null && allIn) ||
      (n.kind === 'structural' && n.role !== 'preprocess' && allIn) ||
      (n.kind === 'add' && allIn);
    if (nonNegative) known.add(n.output);
  }
  return known;
}

/** Position and type of every linear node, which composites match rules against. */
export function layerInfos(graph: Graph): Map<LinearNode, LayerInfo> {
  const linear = graph.nodes.filter((n): n is LinearNode => n.kind === 'linear');
  const weighted = linear.filter((n) => n.op.params !== null);
  const nonNegative = nonNegativeValues(graph);
  const typeCount = new Map<string, number>();
  for (const n of linear) typeCount.set(n.op.type, (typeCount.get(n.op.type) ?? 0) + 1);
  const typeSeen = new Map<string, number>();
  const infos = new Map<LinearNode, LayerInfo>();
  linear.forEach((n, index) => {
    const typeIndex = typeSeen.get(n.op.type) ?? 0;
    typeSeen.set(n.op.type, typeIndex + 1);
    infos.set(n, {
      name: n.name,
      className: n.className,
      type: n.op.type,
      index,
      count: linear.length,
      weightIndex: weighted.indexOf(n),
      weightCount: weighted.length,
      typeIndex,
      typeCount: typeCount.get(n.op.type) ?? 0,
      inputNonNegative: nonNegative.has(n.inputs[0]),
    });
  });
  return infos;
}
