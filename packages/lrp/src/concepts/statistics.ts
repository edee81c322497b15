import * as tf from '@tensorflow/tfjs';
import type { Composite } from '../composites/composite';
import { tutorialComposite } from '../composites/presets';
import { compositeEntry } from '../engine/cache';
import { explain, type Target } from '../explain';
import { runNode } from '../graph/forward';

/**
 * Per image and channel of one layer: the concept's relevance (its relevance at the layer summed over
 * space, so that the channels sum to the layer's total), its activation (the maximum over space, as
 * zennit-crp's ActMax) and where each peaks (flat index into the layer's grid, y · width + x).
 */
export interface LayerConceptStatistics {
  layer: string;
  /** [height, width, channels]; [1, 1, units] for a dense layer. */
  shape: [number, number, number];
  /** [N × channels], image-major. */
  relevance: Float32Array;
  activation: Float32Array;
  relevancePeak: Int32Array;
  activationPeak: Int32Array;
  /** The class explained for each image. */
  targets: Int32Array;
  /** The model's output for each image [N × classes]. */
  output: Float32Array;
}

/** Options of {@link conceptStatistics}. */
export interface ConceptStatisticsOptions {
  target: Target;
  /** tfjs layer names. */
  layers: readonly string[];
  /** Default: {@link tutorialComposite}(). */
  composite?: Composite;
}

function reduceSpatial(t: tf.Tensor): { sum: Float32Array; max: Float32Array; argmax: Int32Array } {
  return tf.tidy(() => {
    const [n] = t.shape;
    const k = t.shape[t.shape.length - 1];
    const flat = tf.reshape(t, [n, -1, k]);
    return {
      sum: tf.sum(flat, 1).dataSync() as Float32Array,
      max: tf.max(flat, 1).dataSync() as Float32Array,
      argmax: tf.argMax(flat, 1).dataSync() as Int32Array,
    };
  });
}

function layerShape(shape: number[]): [number, number, number] {
  const k = shape[shape.length - 1];
  return shape.length === 4 ? [shape[1], shape[2], k] : [1, 1, k];
}

/**
 * Activations at the named layers' outputs, from the composite's canonized graph (the same values the
 * relevance refers to). Stops after the last layer needed. The caller disposes the tensors.
 */
export function layerActivations(
  model: tf.LayersModel,
  x: tf.Tensor,
  layers: readonly string[],
  composite: Composite = tutorialComposite(),
): Map<string, tf.Tensor> {
  const graph = compositeEntry(model, composite).graph;
  const byName = new Map(graph.layers.map((l) => [l.name, l.value]));
  const wanted = new Map<number, string>();
  for (const name of layers) {
    const v = byName.get(name);
    if (v === undefined) {
      throw new Error(`lrp: no layer "${name}"; layers: ${graph.layers.map((l) => l.name).join(', ')}.`);
    }
    wanted.set(v, name);
  }
  const found = tf.tidy(() => {
    const values: tf.Tensor[] = new Array(graph.valueCount);
    values[graph.input] = x;
    const out: Record<string, tf.Tensor> = {};
    let count = 0;
    for (const [v, name] of wanted) {
      if (v !== graph.input) continue;
      out[name] = tf.clone(x);
      count++;
    }
    for (const node of graph.nodes) {
      if (count === wanted.size) break;
      values[node.output] = runNode(
        node,
        node.inputs.map((v) => values[v]),
      );
      const name = wanted.get(node.output);
      if (name !== undefined) {
        out[name] = values[node.output];
        count++;
      }
    }
    return out;
  });
  return new Map(Object.entries(found));
}

/**
 * Relevance and activation of every channel of the given layers for a batch: one explanation (one
 * forward, one backward pass) plus a forward pass up to the deepest layer. Leaves no tensors behind.
 */
export function conceptStatistics(
  model: tf.LayersModel,
  x: tf.Tensor,
  options: ConceptStatisticsOptions,
): LayerConceptStatistics[] {
  const composite = options.composite ?? tutorialComposite();
  const res = explain(model, x, { target: options.target, composite, returnLayers: true });
  const acts = layerActivations(model, x, options.layers, composite);
  try {
    if (res.targetsPerImage !== 1) throw new Error('lrp: concept statistics take one target per image.');
    const output = res.output.dataSync() as Float32Array;
    return options.layers.map((name) => {
      const layer = res.layers!.find((l) => l.name === name)!;
      const a = acts.get(name)!;
      const r = reduceSpatial(layer.relevance);
      const m = reduceSpatial(a);
      return {
        layer: name,
        shape: layerShape(a.shape),
        relevance: r.sum,
        activation: m.max,
        relevancePeak: r.argmax,
        activationPeak: m.argmax,
        targets: res.targets,
        output,
      };
    });
  } finally {
    tf.dispose([res.relevance, res.output, ...res.layers!.map((l) => l.relevance), ...acts.values()]);
  }
}
