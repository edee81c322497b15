export { buildMasks, conditionsPerImage } from './conditions';
export type { Condition, Conditions, LayerMask, Region } from './conditions';
export { conceptStatistics, layerActivations } from './statistics';
export type { ConceptStatisticsOptions, LayerConceptStatistics } from './statistics';
export { rankConcepts, rankingsFromStatistics } from './ranking';
export type { ConceptRanking, ConceptScore, RankConceptsOptions } from './ranking';
export { conceptHeatmaps, conceptsInRegion, neuronHeatmaps } from './attribute';
export type {
  ConceptHeatmapsOptions,
  ConceptsInRegionOptions,
  NeuronHeatmapsOptions,
  RegionConcept,
} from './attribute';
export { ReferenceCollector } from './references';
export type { LayerReferences, ReferenceSample, ReferenceTable } from './references';
export { relevanceBox } from './crop';
export type { Box, RelevanceBoxOptions } from './crop';
