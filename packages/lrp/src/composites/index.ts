export { composite, matches, nodeMatches } from './composite';
export type {
  Composite,
  CompositeSpec,
  LayerMatch,
  MaxPoolTreatment,
  RuleAssignment,
  NodeMatch,
  NodeRuleAssignment,
} from './composite';
export { tutorialComposite, epsilonGammaBox, epsilonPlus, epsilonPlusFlat, epsilonAlpha2Beta1 } from './presets';
export type { TutorialCompositeOptions, EpsilonGammaBoxOptions, ZennitCompositeOptions } from './presets';
export {
  COMPOSITE_NAMES,
  COMPOSITE_CATALOG,
  compositeInfo,
  isCompositeName,
  resolveCompositeParams,
  recommendCompositeFor,
} from './catalog';
export type {
  CompositeName,
  CompositeParamName,
  CompositeParams,
  CompositeParameter,
  CompositeInfo,
  ModelTraits,
  CompositeRecommendation,
} from './catalog';
export { createComposite, modelTraits, recommendedComposite } from './registry';
