/**
 * @lrpjs/lrp — Layer-wise Relevance Propagation for TensorFlow.js models.
 *
 * Three ideas, each in its own module (as in zennit): rules (how relevance passes one layer),
 * composites (which rule where), canonizers (rewrite a model into one rules can handle).
 */
export { explain } from './explain';
export type { ExplainOptions, ExplainResult, LayerRelevance, Target } from './explain';

export { generalRule, lrp0, epsilon, gamma, zBox, alphaBeta, zPlus, flat, wSquare, pass, stabilize } from './rules';
export type {
  Rule,
  RuleContext,
  LayerInfo,
  ParamModifier,
  Stabilizer,
  Bound,
  GeneralRuleOptions,
  EpsilonOptions,
  GammaOptions,
  ZBoxOptions,
  AlphaBetaOptions,
} from './rules';

export {
  composite,
  tutorialComposite,
  epsilonGammaBox,
  epsilonPlus,
  epsilonPlusFlat,
  epsilonAlpha2Beta1,
  COMPOSITE_NAMES,
  COMPOSITE_CATALOG,
  compositeInfo,
  isCompositeName,
  resolveCompositeParams,
  recommendCompositeFor,
  createComposite,
  modelTraits,
  recommendedComposite,
} from './composites';
export type {
  Composite,
  CompositeSpec,
  LayerMatch,
  MaxPoolTreatment,
  RuleAssignment,
  TutorialCompositeOptions,
  EpsilonGammaBoxOptions,
  ZennitCompositeOptions,
  CompositeName,
  CompositeParamName,
  CompositeParams,
  CompositeParameter,
  CompositeInfo,
  ModelTraits,
  CompositeRecommendation,
} from './composites';

export { splitActivations, foldBatchNorm, defaultCanonizers } from './canonizers';
export type { Canonizer } from './canonizers';

export { registerLayerAdapter, supportedLayerClasses } from './graph/builder';
export type { LayerAdapter, GraphBuilder } from './graph/builder';
export type { Params } from './graph/params';
export type { LinearType, Graph, GraphNode } from './graph/types';
export { disposeCache } from './engine/cache';

export {
  conceptStatistics,
  layerActivations,
  rankConcepts,
  rankingsFromStatistics,
  conceptHeatmaps,
  conceptsInRegion,
  neuronHeatmaps,
  ReferenceCollector,
  relevanceBox,
} from './concepts';
export type {
  Condition,
  Conditions,
  LayerMask,
  Region,
  ConceptStatisticsOptions,
  LayerConceptStatistics,
  ConceptRanking,
  ConceptScore,
  RankConceptsOptions,
  ConceptHeatmapsOptions,
  ConceptsInRegionOptions,
  NeuronHeatmapsOptions,
  RegionConcept,
  LayerReferences,
  ReferenceSample,
  ReferenceTable,
  Box,
  RelevanceBoxOptions,
} from './concepts';
