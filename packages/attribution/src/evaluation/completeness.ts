import * as tf from '@tensorflow/tfjs';
import type { LayerRelevance } from '@lrpjs/lrp';
import type { AttributionResult } from '../types';

/** Σ relevance against the explained output, per image. */
export interface CompletenessReport {
  /** Σ over the input of each image's relevance. */
  sum: Float32Array;
  /** The target logit f_t(x) of each image. */
  output: Float32Array;
  /** sum / output (1 for a conservative method without bias absorption). */
  ratio: Float32Array;
}

/**
 * How much of the target output a result's relevance accounts for. LRP-0/ε and Gradient × Input on a
 * bias-free ReLU net give ratio 1; Integrated Gradients reaches 1 against f(x) − f(baseline) (see its
 * own `completeness`); Gradient, SmoothGrad, Grad-CAM and Occlusion make no such promise.
 */
export function completeness(result: AttributionResult): CompletenessReport {
  return tf.tidy(() => {
    const n = result.output.shape[0];
    const sum = tf.sum(tf.reshape(result.relevance, [n, -1]), 1).dataSync() as Float32Array;
    const k = result.output.shape[1];
    const out = result.output.dataSync() as Float32Array;
    const output = Float32Array.from(result.targets, (t, i) => out[i * k + t]);
    return { sum, output, ratio: sum.map((v, i) => v / output[i]) };
  });
}

/** Σ relevance of each image at every layer (from explain's `returnLayers`): conservation layer by layer. */
export function layerSums(layers: readonly LayerRelevance[]): { name: string; sum: Float32Array }[] {
  return layers.map((l) =>
    tf.tidy(() => ({
      name: l.name,
      sum: tf.sum(tf.reshape(l.relevance, [l.relevance.shape[0], -1]), 1).dataSync() as Float32Array,
    })),
  );
}
