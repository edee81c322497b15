import type * as tf from '@tensorflow/tfjs';
import type { AttributionModel, AttributionOptions, AttributionResult } from '../types';
import { gradCam } from './grad-cam';
import { gradient, inputXGradient } from './gradient';
import { integratedGradients } from './integrated-gradients';
import { occlusion } from './occlusion';
import { randomAttribution } from './random';
import { smoothGrad } from './smoothgrad';

/** The baselines by name, with their default settings (the names a CLI or UI offers). */
export const BASELINE_NAMES = [
  'gradient',
  'inputXGradient',
  'smoothgrad',
  'ig',
  'gradcam',
  'occlusion',
  'random',
] as const;
export type BaselineName = (typeof BASELINE_NAMES)[number];

export interface BaselineInfo {
  name: BaselineName;
  label: string;
  /** The settings the catalogue runs it with. */
  settings: Record<string, string | number>;
}

export const BASELINE_CATALOG: Record<BaselineName, BaselineInfo> = {
  gradient: { name: 'gradient', label: 'Gradient', settings: {} },
  inputXGradient: { name: 'inputXGradient', label: 'Gradient × Input', settings: {} },
  smoothgrad: { name: 'smoothgrad', label: 'SmoothGrad', settings: { samples: 20, noiseLevel: 0.1 } },
  ig: { name: 'ig', label: 'Integrated Gradients', settings: { steps: 32, baseline: 'zeros', rule: 'riemann-middle' } },
  gradcam: { name: 'gradcam', label: 'Grad-CAM', settings: { layer: 'last conv with spatial output' } },
  occlusion: {
    name: 'occlusion',
    label: 'Occlusion',
    settings: { patch: 'image side / 8', stride: 'patch / 2', fill: 0 },
  },
  random: { name: 'random', label: 'Random', settings: { seed: 0 } },
};

export function isBaselineName(name: string): name is BaselineName {
  return (BASELINE_NAMES as readonly string[]).includes(name);
}

/** Runs the baseline `name` with its catalogue settings (Grad-CAM needs a LayersModel). */
export function runBaseline(
  name: string,
  model: AttributionModel,
  x: tf.Tensor4D,
  options: AttributionOptions,
): AttributionResult {
  if (!isBaselineName(name)) {
    throw new Error(`attribution: unknown method '${name}'; choose one of ${BASELINE_NAMES.join(', ')}.`);
  }
  switch (name) {
    case 'gradient':
      return gradient(model, x, options);
    case 'inputXGradient':
      return inputXGradient(model, x, options);
    case 'smoothgrad':
      return smoothGrad(model, x, { ...options, samples: 20, noiseLevel: 0.1 });
    case 'ig': {
      const r = integratedGradients(model, x, { ...options, steps: 32 });
      return {
        relevance: r.relevance,
        output: r.output,
        targets: r.targets,
        targetsPerImage: 1,
        conditionsPerImage: 1,
      };
    }
    case 'gradcam': {
      const r = gradCam(model as tf.LayersModel, x, options);
      r.map.dispose();
      return {
        relevance: r.relevance,
        output: r.output,
        targets: r.targets,
        targetsPerImage: 1,
        conditionsPerImage: 1,
      };
    }
    case 'occlusion': {
      // patches scale with the image (8 px on 64×64, 19 px on 150×150), so the window count stays ~225
      const patch = Math.max(2, Math.round(x.shape[1] / 8));
      return occlusion(model, x, { ...options, patch, stride: Math.max(1, Math.floor(patch / 2)), fill: 0 });
    }
    case 'random':
      return randomAttribution(model, x, options);
  }
}
