import type * as tf from '@tensorflow/tfjs';
import { graphModelResidual, isGraphModel } from '../graph-import';
import type { Composite } from './composite';
import {
  compositeInfo,
  recommendCompositeFor,
  resolveCompositeParams,
  type CompositeName,
  type CompositeParams,
  type CompositeRecommendation,
  type ModelTraits,
} from './catalog';
import { epsilonAlpha2Beta1, epsilonGammaBox, epsilonPlus, epsilonPlusFlat, tutorialComposite } from './presets';

const factories: Record<CompositeName, (p: Required<CompositeParams>) => Composite> = {
  tutorial: (p) => tutorialComposite({ gamma: p.gamma, epsilon: p.epsilon, lowest: p.low, highest: p.high }),
  'epsilon-gamma-box': (p) => epsilonGammaBox({ gamma: p.gamma, epsilon: p.epsilon, low: p.low, high: p.high }),
  'epsilon-plus': (p) => epsilonPlus({ epsilon: p.epsilon }),
  'epsilon-plus-flat': (p) => epsilonPlusFlat({ epsilon: p.epsilon }),
  'epsilon-alpha2-beta1': (p) => epsilonAlpha2Beta1({ epsilon: p.epsilon }),
};

/**
 * The Composite of the catalogue preset `name` with `params` (defaults filled in, ranges checked).
 * Presets are memoized by their parameters, so repeated calls share one set of cached weights.
 */
export function createComposite(name: string, params: CompositeParams = {}): Composite {
  const info = compositeInfo(name);
  return factories[info.name](resolveCompositeParams(info.name, params));
}

/** Reads a model's traits: residual = an Add layer, or in a GraphModel an Add/AddV2 of two computed tensors. */
export function modelTraits(model: tf.LayersModel | tf.GraphModel): ModelTraits {
  if (isGraphModel(model)) return { residual: graphModelResidual(model) };
  const residual = model.layers.some((l) => l.getClassName() === 'Add');
  return { residual };
}

/** The preset that suits `model`, with its parameters and why. */
export function recommendedComposite(model: tf.LayersModel | tf.GraphModel): CompositeRecommendation {
  return recommendCompositeFor(modelTraits(model));
}
