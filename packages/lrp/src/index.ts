/**
 * @lrpjs/lrp — Layer-wise Relevance Propagation for TensorFlow.js models.
 *
 * Three ideas, each in its own module (as in zennit): rules (how relevance passes one layer),
 * composites (which rule where), canonizers (rewrite a model into one rules can handle).
 */
export { explain } from './explain';
export type { ExplainOptions, ExplainResult, LayerRelevance, Target } from './explain';
export type { Diagnostics, LayerConservation } from './engine/diagnostics';

export {
  generalRule,
  lrp0,
  epsilon,
  gamma,
  zBox,
  alphaBeta,
  zPlus,
  flat,
  wSquare,
  pass,
  stabilize,
  basicRule,
  inputModifiers,
  paramModifiers,
  sumPresent,
  sumOfProducts,
  proportional,
  equalSplit,
  passThrough,
} from './rules';
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
  BasicRuleSpec,
  RuleTerm,
  InputModifier,
  NamedParamModifier,
  NodeInfo,
  NodeRule,
  NodeRuleContext,
} from './rules';

// Composites, presets, the catalogue and the recommendation (listed here only: `export *` would hide the
// names from ES-module imports of the CommonJS build).
export { composite, matches, nodeMatches } from './composites/composite';
export type {
  Composite,
  CompositeSpec,
  LayerMatch,
  MaxPoolTreatment,
  RuleAssignment,
  NodeMatch,
  NodeRuleAssignment,
} from './composites/composite';
export {
  tutorialComposite,
  epsilonGammaBox,
  epsilonPlus,
  epsilonPlusFlat,
  epsilonAlpha2Beta1,
} from './composites/presets';
export type { TutorialCompositeOptions, EpsilonGammaBoxOptions, ZennitCompositeOptions } from './composites/presets';
export {
  COMPOSITE_NAMES,
  COMPOSITE_CATALOG,
  compositeInfo,
  isCompositeName,
  resolveCompositeParams,
  recommendCompositeFor,
} from './composites/catalog';
export type {
  CompositeName,
  CompositeParamName,
  CompositeParams,
  CompositeParameter,
  CompositeInfo,
  ModelTraits,
  CompositeRecommendation,
} from './composites/catalog';
export { createComposite, modelTraits, recommendedComposite } from './composites/registry';

export { splitActivations, foldBatchNorm, defaultCanonizers } from './canonizers';
export type { Canonizer } from './canonizers';

export { registerLayerAdapter, supportedLayerClasses } from './graph/builder';
export type { LayerAdapter, GraphBuilder } from './graph/builder';
export { Params } from './graph/params';
export type { LinearType, LinearOp, OpContext, ActivationFn, Graph, GraphNode } from './graph/types';
export { GradientLinearOp } from './ops/gradient';
export type { GradientLinearOpOptions, LinearForward } from './ops/gradient';
export { disposeCache } from './engine/cache';
export type { ExplainableModel } from './engine/cache';
export { importGraphModel, supportedGraphOps, isGraphModel } from './graph-import';
export type { GraphImportOptions } from './graph-import';
export { configureCache, cacheStats } from './engine/cache';
export type { CacheOptions } from './engine/cache';

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
