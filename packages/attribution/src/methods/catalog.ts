import type * as tf from '@tensorflow/tfjs';
import type { AttributionModel, AttributionOptions, AttributionResult } from '../types';
import { gradCam } from './grad-cam';
import { gradient, inputXGradient } from './gradient';
import { integratedGradients } from './integrated-gradients';
import { occlusion } from './occlusion';
import { randomAttribution } from './random';
import { smoothGrad } from './smoothgrad';

// Defaults sized for evaluating many images: each method costs a bounded number of passes per image
// (SmoothGrad 16 and IG 16 forward+backward passes, occlusion 64 forwards), comparable to the ~200
// forwards pixel flipping spends on each image, so no method dominates an evaluation's time.
const SMOOTHGRAD_SAMPLES = 16;
const IG_STEPS = 16;
const OCCLUSION_WINDOWS = 8;

/** Occlusion's patch and stride for an image side: 8 windows per side (64 → patch 8, stride 8). */
export function occlusionGrid(side: number): { patch: number; stride: number } {
  const patch = Math.max(1, Math.ceil(side / OCCLUSION_WINDOWS));
  return { patch, stride: Math.max(1, Math.floor((side - patch) / (OCCLUSION_WINDOWS - 1))) };
}

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
  smoothgrad: { name: 'smoothgrad', label: 'SmoothGrad', settings: { samples: SMOOTHGRAD_SAMPLES, noiseLevel: 0.1 } },
  ig: {
    name: 'ig',
    label: 'Integrated Gradients',
    settings: { steps: IG_STEPS, baseline: 'zeros', rule: 'riemann-middle' },
  },
  gradcam: { name: 'gradcam', label: 'Grad-CAM', settings: { layer: 'last conv with spatial output' } },
  occlusion: {
    name: 'occlusion',
    label: 'Occlusion',
    settings: { patch: '⌈image side / 8⌉', stride: '8 windows per side', fill: 0 },
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
      return smoothGrad(model, x, { ...options, samples: SMOOTHGRAD_SAMPLES, noiseLevel: 0.1 });
    case 'ig': {
      const r = integratedGradients(model, x, { ...options, steps: IG_STEPS });
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
      // patches scale with the image (8 px on 64×64, 19 px with stride 18 on 150×150): 64 windows
      return occlusion(model, x, { ...options, ...occlusionGrid(Math.min(x.shape[1], x.shape[2])), fill: 0 });
    }
    case 'random':
      return randomAttribution(model, x, options);
  }
}
