/** LRP through @lrpjs/lrp, with typed arrays in and out (tensors stay inside). */
import * as tf from '@tensorflow/tfjs';

import { recommendedComposite } from '@lrpjs/lrp';

import { catalogParams, checkCompositeParameters, compositeFlags, type CompositeSettings } from './net-names';
export type { CompositeSettings };

export interface Explanation {
  /** [N, H, W, C], same shape as the input. */
  relevance: Float32Array;
  shape: [number, number, number, number];
  /** Logits [N, classes]. */
  logits: Float32Array;
  numClasses: number;
  /** Class explained per image. */
  targets: number[];
  seconds: number;
}

/**
 * Explains `model` on inputs (already normalized: x*3-1.5) for the given target classes
 * (`'predicted'`: the arg-max of each image's logits).
 */
export async function explainInputs(
  model: tf.LayersModel,
  input: Float32Array,
  shape: [number, number, number, number],
  target: number[] | 'predicted',
  composite: CompositeSettings,
): Promise<Explanation> {
  const lrp = await import('@lrpjs/lrp');
  const start = performance.now();
  const x = tf.tensor4d(input, shape);
  try {
    const c = await makeComposite(resolveComposite(composite, model));
    const result = lrp.explain(model, x, { target, composite: c });
    try {
      const logits = (await result.output.data()) as Float32Array;
      const numClasses = result.output.shape[1];
      const relevance = (await result.relevance.data()) as Float32Array;
      const targets = Array.from(result.targets);
      return { relevance, shape, logits, numClasses, targets, seconds: (performance.now() - start) / 1000 };
    } finally {
      tf.dispose([result.relevance, result.output]);
    }
  } finally {
    x.dispose();
  }
}

/**
 * 'auto' becomes the registry's recommendation for the model (@lrpjs/lrp's recommendedComposite: the
 * tutorial's composite for plain conv nets, EpsilonPlus for residual ones), keeping the parameters that
 * preset takes.
 */
export function resolveComposite(settings: CompositeSettings, model: tf.LayersModel): CompositeSettings {
  if (settings.name !== 'auto') return settings;
  const { name } = recommendedComposite(model);
  const takes = compositeFlags(name);
  const kept = Object.entries(settings).filter(([k, v]) => k !== 'name' && v !== undefined && takes.includes(k));
  return { name, ...Object.fromEntries(kept) };
}

/** The composite named in `settings`, from the registry, with its parameters (checked by checkCompositeParameters). */
export async function makeComposite(settings: CompositeSettings) {
  checkCompositeParameters(settings);
  const lrp = await import('@lrpjs/lrp');
  return lrp.createComposite(settings.name, catalogParams(settings));
}
