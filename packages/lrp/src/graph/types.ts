import type * as tf from '@tensorflow/tfjs';
import type { Params } from './params';

/** What a linear (rule-taking) layer computes; rules are written against this. */
export type LinearType = 'conv' | 'dense' | 'maxpool' | 'avgpool' | 'gap';

/** What a backward step may need besides the upper signal: the layer's input and the batch layout. */
export interface OpContext {
  /** The layer's input activation, one row per image (batch N). */
  readonly input: tf.Tensor;
  /** The op's output for that input (batch N). */
  readonly output: tf.Tensor;
  /** Relevance rows per image: the upper signal has batch N × repeats, target-major (row j·N + i). */
  readonly repeats: number;
  /** The input is known to be ≥ 0 (after a ReLU). */
  readonly inputNonNegative: boolean;
  /** A value computed once per node and explain call (e.g. max-pool winners). */
  memo<T>(key: string, make: () => T): T;
}

/**
 * A layer that is linear in its input (conv, dense) or piecewise so (pooling): the unit LRP rules act
 * on. `forward` runs it with given parameters, `backward` is its transpose (the vector-Jacobian product
 * at the layer's input), linear in `s`; both include the batch axis.
 */
export interface LinearOp {
  readonly type: LinearType;
  /** The layer's own parameters, `null` for pooling. */
  readonly params: Params | null;
  /** The layer's output for input `x` with parameters `params` (bias replaced by `bias` if given). */
  forward(x: tf.Tensor, params: Params | null, bias?: tf.Tensor): tf.Tensor;
  /**
   * Σ_k ρ(w_jk) s_k for every input unit j (the tutorial's step 3). With several parameter sets the
   * op computes all of them in one pass where it can and returns one tensor per set.
   */
  backward(s: tf.Tensor, params: Params | null, ctx: OpContext): tf.Tensor;
  backwardMany(s: tf.Tensor, params: Params[], ctx: OpContext): tf.Tensor[];
  /** The same op with other parameters (used by canonizers). */
  withParams(params: Params): LinearOp;
}

/** An activation function applied elementwise. */
export interface ActivationFn {
  /** tfjs name: 'relu', 'linear', 'softmax', … */
  readonly name: string;
  apply(x: tf.Tensor): tf.Tensor;
}

interface NodeBase {
  /** Unique name: the tfjs layer name (prefixed by nested model names), plus a suffix for split parts. */
  name: string;
  /** Name of the tfjs layer the node comes from. */
  layerName: string;
  /** Class of that tfjs layer. */
  className: string;
  /** Value ids read. */
  inputs: number[];
  /** Value id written. */
  output: number;
}

/** Conv2D, Dense and pooling: relevance goes through a rule of the composite. */
export interface LinearNode extends NodeBase {
  kind: 'linear';
  op: LinearOp;
  /** A fused activation (removed by the splitActivations canonizer before rules run). */
  activation: ActivationFn | null;
}

/** Elementwise activation: relevance passes through unchanged. */
export interface ActivationNode extends NodeBase {
  kind: 'activation';
  activation: ActivationFn;
}

/** Residual sum: relevance is split in proportion to each input's contribution. */
export interface AddNode extends NodeBase {
  kind: 'add';
}

/** What a structural node does to relevance, for bounds and canonizers. */
export type StructuralRole = 'identity' | 'reshape' | 'pad' | 'preprocess' | 'concat';

/** Layers that move or rescale values without mixing units: relevance is moved back the same way. */
export interface StructuralNode extends NodeBase {
  kind: 'structural';
  role: StructuralRole;
  apply(inputs: tf.Tensor[]): tf.Tensor;
  /** Relevance of each input given the output's relevance (batch N × repeats). */
  propagate(relevance: tf.Tensor, inputs: tf.Tensor[], output: tf.Tensor): tf.Tensor[];
}

/** BatchNormalization in inference form `y = x * scale + shift` along the last axis; must be folded. */
export interface BatchNormNode extends NodeBase {
  kind: 'batchnorm';
  scale: tf.Tensor1D;
  shift: tf.Tensor1D;
}

export type GraphNode = LinearNode | ActivationNode | AddNode | StructuralNode | BatchNormNode;

/** One tfjs layer's output, for `returnLayers`. */
export interface LayerOutput {
  name: string;
  className: string;
  value: number;
}

/**
 * A model as LRP sees it: nodes in topological order over numbered values (value 0 is the model
 * input). Built from the tfjs layer graph by the layer adapters, then rewritten by canonizers.
 */
export interface Graph {
  nodes: GraphNode[];
  input: number;
  output: number;
  valueCount: number;
  /** The model input's shape, batch axis `null`. */
  inputShape: (number | null)[];
  /** Every tfjs layer (input layer first) with the value holding its output. */
  layers: LayerOutput[];
  /** Tensors created while building or canonizing (folded weights), freed with the graph. */
  owned: { dispose(): void }[];
}
