import type * as tf from '@tensorflow/tfjs';
import type { AttributionModel, AttributionOptions, AttributionResult } from '../types';
import { gradCam } from './grad-cam';
import { gradient, inputXGradient } from './gradient';
import { integratedGradients } from './integrated-gradients';
import { occlusion } from './occlusion';
import { randomAttribution } from './random';
import { smoothGrad } from './smoothgrad';
import { BASELINE_NAMES, IG_STEPS, SMOOTHGRAD_SAMPLES, isBaselineName, occlusionGrid } from './names';

export { BASELINE_NAMES, BASELINE_CATALOG, isBaselineName, occlusionGrid } from './names';
export type { BaselineName, BaselineInfo } from './names';

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
