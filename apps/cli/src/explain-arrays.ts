/** LRP through @lrpjs/lrp, with typed arrays in and out (tensors stay inside). */
import * as tf from '@tensorflow/tfjs';

import { checkCompositeParameters, type CompositeSettings } from './net-names';
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
 * 'auto' picks per model: the tutorial's composite for plain conv nets, EpsilonPlus for nets with residual
 * `Add` layers, where LRP-γ with the tutorial's plain +ε stabilizer diverges (relevance sums of 1e7–1e9 on the
 * face backbone against logits near 3) while EpsilonPlus conserves and stays on the face.
 */
export function resolveComposite(settings: CompositeSettings, model: tf.LayersModel): CompositeSettings {
  if (settings.name !== 'auto') return settings;
  const residual = model.layers.some((l) => l.getClassName() === 'Add');
  return residual ? { name: 'epsilon-plus', epsilon: settings.epsilon } : { ...settings, name: 'tutorial' };
}

/** The composite named in `settings`, with its parameters (checked by checkCompositeParameters). */
export async function makeComposite(settings: CompositeSettings) {
  checkCompositeParameters(settings);
  const lrp = await import('@lrpjs/lrp');
  const { gamma, epsilon, lowest, highest } = settings;
  const defined = <T extends object>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  switch (settings.name) {
    case 'tutorial':
      return lrp.tutorialComposite(defined({ gamma, epsilon, lowest, highest }));
    case 'epsilon-gamma-box':
      return lrp.epsilonGammaBox(defined({ gamma, epsilon, low: lowest, high: highest }));
    case 'epsilon-plus':
      return lrp.epsilonPlus(defined({ epsilon }));
    case 'epsilon-plus-flat':
      return lrp.epsilonPlusFlat(defined({ epsilon }));
    default:
      return lrp.epsilonAlpha2Beta1(defined({ epsilon }));
  }
}
