import * as tf from '@tensorflow/tfjs';
import type { Graph, GraphNode, LayerOutput } from './types';
import { BUILT_IN_ADAPTERS } from '../layers';

/** The parts of tfjs-layers' graph structures that the builder reads (they are not exported as types). */
export interface SymbolicTensorLike {
  id: number;
  shape: (number | null)[];
  sourceLayer: LayerLike;
  nodeIndex: number;
  tensorIndex: number;
}
interface InboundNodeLike {
  inputTensors: SymbolicTensorLike[];
  outputTensors: SymbolicTensorLike[];
}
export interface LayerLike {
  name: string;
  getClassName(): string;
  inboundNodes: InboundNodeLike[];
}

/** Node description an adapter hands to the builder; the builder assigns the output value. */
export type NodeSpec = GraphNode extends infer N ? (N extends GraphNode ? Omit<N, 'output'> : never) : never;

/**
 * Turns one tfjs layer application into graph nodes. `inputs` are the value ids it reads; the adapter
 * adds nodes with `builder.add` and returns the value id of the layer's output.
 */
export type LayerAdapter = (layer: tf.layers.Layer, inputs: number[], builder: GraphBuilder, name: string) => number;

// Filled lazily: the built-in adapters import this module's types, so seeding at load time would be circular.
const adapters = new Map<string, LayerAdapter>();
let seeded = false;
function registry(): Map<string, LayerAdapter> {
  if (!seeded) {
    seeded = true;
    for (const [name, adapter] of Object.entries(BUILT_IN_ADAPTERS))
      if (!adapters.has(name)) adapters.set(name, adapter);
  }
  return adapters;
}

/**
 * Teaches LRP a tfjs layer class (by `getClassName()`). Built-in adapters live in `src/layers/`, one
 * file per class; this is how an application adds its own.
 */
export function registerLayerAdapter(className: string, adapter: LayerAdapter): void {
  registry().set(className, adapter);
}

/** Class names LRP understands. */
export function supportedLayerClasses(): string[] {
  return [...registry().keys(), 'Sequential', 'Model', 'Functional'].sort();
}

function isContainer(layer: LayerLike): layer is LayerLike & tf.LayersModel {
  return layer instanceof tf.LayersModel;
}

/** Collects nodes while walking a model's layer graph. */
export class GraphBuilder {
  readonly nodes: GraphNode[] = [];
  readonly layers: LayerOutput[] = [];
  readonly owned: { dispose(): void }[] = [];
  private values = 0;

  newValue(): number {
    return this.values++;
  }

  get valueCount(): number {
    return this.values;
  }

  add(spec: NodeSpec): number {
    const output = this.newValue();
    this.nodes.push({ ...spec, output } as GraphNode);
    return output;
  }

  /** Keeps a tensor made while building (freed with the graph). */
  own<T extends tf.Tensor>(t: T): T {
    tf.keep(t);
    this.owned.push(t);
    return t;
  }

  /** Adds a model's layers reading `inputs`; returns the values of its outputs. */
  addModel(model: tf.LayersModel, inputs: number[], prefix: string): number[] {
    const valueOf = new Map<number, number>();
    const modelInputs = model.inputs as unknown as SymbolicTensorLike[];
    modelInputs.forEach((t, i) => valueOf.set(t.id, inputs[i]));
    const visit = (t: SymbolicTensorLike): number => {
      const known = valueOf.get(t.id);
      if (known !== undefined) return known;
      const layer = t.sourceLayer;
      const node = layer.inboundNodes[t.nodeIndex];
      if (node === undefined) throw new Error(`lrp: layer "${layer.name}" has no inbound node ${t.nodeIndex}`);
      const ins = node.inputTensors.map(visit);
      const name = prefix + layer.name;
      let outs: number[];
      if (isContainer(layer)) {
        outs = this.addModel(layer, ins, `${name}/`);
      } else {
        if (node.outputTensors.length !== 1) {
          throw new Error(
            `lrp: layer "${name}" (${layer.getClassName()}) has several outputs; LRP supports single-output layers.`,
          );
        }
        const adapter = registry().get(layer.getClassName());
        if (adapter === undefined) {
          throw new Error(
            `lrp: layer "${name}" of class ${layer.getClassName()} is not supported. ` +
              `Supported classes: ${supportedLayerClasses().join(', ')}; ` +
              'add one with registerLayerAdapter(className, adapter).',
          );
        }
        outs = [adapter(layer as unknown as tf.layers.Layer, ins, this, name)];
        this.layers.push({ name, className: layer.getClassName(), value: outs[0] });
      }
      node.outputTensors.forEach((o, i) => valueOf.set(o.id, outs[i]));
      const out = valueOf.get(t.id);
      if (out === undefined) throw new Error(`lrp: output ${t.tensorIndex} of layer "${name}" not found`);
      return out;
    };
    return (model.outputs as unknown as SymbolicTensorLike[]).map(visit);
  }
}

/** Builds the LRP graph of a single-input, single-output tfjs model. */
export function buildGraph(model: tf.LayersModel): Graph {
  let inputs: SymbolicTensorLike[];
  let outputs: SymbolicTensorLike[];
  try {
    inputs = model.inputs as unknown as SymbolicTensorLike[];
    outputs = model.outputs as unknown as SymbolicTensorLike[];
  } catch {
    inputs = [];
    outputs = [];
  }
  if (!inputs?.length || !outputs?.length) {
    throw new Error(
      'lrp: the model is not built (it has no inputs); give its first layer an inputShape or call model.build().',
    );
  }
  if (inputs.length !== 1 || outputs.length !== 1) {
    throw new Error(
      `lrp: the model has ${inputs.length} inputs and ${outputs.length} outputs; explain supports one input and one output.`,
    );
  }
  const builder = new GraphBuilder();
  const input = builder.newValue();
  builder.layers.push({ name: inputs[0].sourceLayer.name, className: 'InputLayer', value: input });
  let output: number;
  try {
    [output] = builder.addModel(model, [input], '');
  } catch (e) {
    for (const t of builder.owned) t.dispose();
    throw e;
  }
  return {
    nodes: builder.nodes,
    input,
    output,
    valueCount: builder.valueCount,
    inputShape: [...inputs[0].shape],
    layers: builder.layers,
    owned: builder.owned,
  };
}
