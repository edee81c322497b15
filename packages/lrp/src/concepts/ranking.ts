import type * as tf from '@tensorflow/tfjs';
import { conceptStatistics, type LayerConceptStatistics } from './statistics';
import type { Composite } from '../composites/composite';
import type { Target } from '../explain';

/** One channel of a layer for one image. */
export interface ConceptScore {
  channel: number;
  /** Relevance at the layer summed over space (the conditional heatmap's total). */
  relevance: number;
  /** relevance / Σ relevance of all channels (shares sum to 1; negative for channels that speak against). */
  share: number;
  /** Maximum activation over space. */
  activation: number;
}

/** The channels of one layer for one image, best first. */
export interface ConceptRanking {
  layer: string;
  /** The class explained. */
  target: number;
  /** Σ relevance over the layer (= the heatmap's total under conserving rules). */
  total: number;
  concepts: ConceptScore[];
}

/** Options of {@link rankConcepts}. */
export interface RankConceptsOptions {
  target: Target;
  layer: string;
  /** Order by relevance (default) or by activation. */
  by?: 'relevance' | 'activation';
  /** Keep the first `top` channels. Default: all. */
  top?: number;
  composite?: Composite;
}

/** Rankings of one layer's statistics, one per image. */
export function rankingsFromStatistics(
  stats: LayerConceptStatistics,
  by: 'relevance' | 'activation' = 'relevance',
  top = Infinity,
): ConceptRanking[] {
  const k = stats.shape[2];
  const n = stats.relevance.length / k;
  const out: ConceptRanking[] = [];
  for (let i = 0; i < n; i++) {
    let total = 0;
    for (let c = 0; c < k; c++) total += stats.relevance[i * k + c];
    const concepts: ConceptScore[] = [];
    for (let c = 0; c < k; c++) {
      const relevance = stats.relevance[i * k + c];
      concepts.push({
        channel: c,
        relevance,
        share: total === 0 ? 0 : relevance / total,
        activation: stats.activation[i * k + c],
      });
    }
    concepts.sort((a, b) => b[by] - a[by] || a.channel - b.channel);
    out.push({ layer: stats.layer, target: stats.targets[i], total, concepts: concepts.slice(0, top) });
  }
  return out;
}

/**
 * For each image, the channels of `layer` ordered by their relevance for the target (or by activation),
 * with their share of the layer's total relevance. One explanation for the whole batch.
 */
export function rankConcepts(model: tf.LayersModel, x: tf.Tensor, options: RankConceptsOptions): ConceptRanking[] {
  const [stats] = conceptStatistics(model, x, {
    target: options.target,
    layers: [options.layer],
    composite: options.composite,
  });
  return rankingsFromStatistics(stats, options.by, options.top);
}
