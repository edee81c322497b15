import type { Canonizer } from '../canonizers/types';
import type { LinearType } from '../graph/types';
import type { LayerInfo, Rule } from '../rules/types';

/** How max-pooling layers pass relevance to the rule. */
export type MaxPoolTreatment = 'winner-take-all' | 'average';

/**
 * Which rule applies to which layer, plus the canonizers that prepare the model. Layers without a rule:
 * activations, reshapes and dropout pass relevance through; pooling layers route it by their gradient
 * (max: to the winner; average: evenly); a Conv2D/Dense without a rule is an error.
 */
export interface Composite {
  readonly name: string;
  /**
   * Identifies composites that assign the same rules, so that their cached modified weights are
   * shared (presets set it from their options). Without a key the object identity is used.
   */
  readonly key?: string;
  /** The rule for a layer, or null for the default treatment above. */
  ruleFor(layer: LayerInfo): Rule | null;
  /** Canonizers run before rules; default: splitActivations + foldBatchNorm. */
  readonly canonizers?: readonly Canonizer[];
  /**
   * 'winner-take-all' (default, the tutorial's): relevance goes to the max; 'average': max-pooling
   * layers are treated as average pooling, relevance split in proportion to the inputs.
   */
  readonly maxPool?: MaxPoolTreatment;
}

/** Selects layers; every given field must match. */
export interface LayerMatch {
  /** Layer name, exact or by pattern. */
  name?: string | RegExp;
  /** tfjs class name(s). */
  className?: string | string[];
  /** What the layer computes. */
  type?: LinearType | LinearType[];
  /**
   * Position among weight layers (Conv2D/Dense): 'first', 'last', an index from 0, or from the end
   * when negative (-1 = last).
   */
  position?: 'first' | 'last' | number;
  /** Any other test. */
  test?: (layer: LayerInfo) => boolean;
}

/** One entry of a composite: the first matching entry gives the layer's rule. */
export interface RuleAssignment {
  match: LayerMatch | ((layer: LayerInfo) => boolean);
  rule: Rule;
}

/** Options of {@link composite}. */
export interface CompositeSpec {
  name?: string;
  key?: string;
  rules: RuleAssignment[];
  canonizers?: readonly Canonizer[];
  maxPool?: MaxPoolTreatment;
}

function oneOf<T>(value: T, allowed: T | T[] | undefined): boolean {
  return allowed === undefined || (Array.isArray(allowed) ? allowed.includes(value) : allowed === value);
}

/** Whether a layer matches. */
export function matches(layer: LayerInfo, match: LayerMatch | ((layer: LayerInfo) => boolean)): boolean {
  if (typeof match === 'function') return match(layer);
  if (match.name !== undefined) {
    if (typeof match.name === 'string' ? match.name !== layer.name : !match.name.test(layer.name)) return false;
  }
  if (!oneOf(layer.className, match.className)) return false;
  if (!oneOf(layer.type, match.type)) return false;
  if (match.position !== undefined) {
    if (layer.weightIndex < 0) return false;
    const p = match.position;
    const index = p === 'first' ? 0 : p === 'last' ? layer.weightCount - 1 : p < 0 ? layer.weightCount + p : p;
    if (layer.weightIndex !== index) return false;
  }
  return match.test ? match.test(layer) : true;
}

/** A composite from a list of (match, rule) entries; the first match wins (as zennit's layer maps). */
export function composite(spec: CompositeSpec): Composite {
  const rules = [...spec.rules];
  return {
    name: spec.name ?? 'custom',
    key: spec.key,
    canonizers: spec.canonizers,
    maxPool: spec.maxPool,
    ruleFor(layer) {
      return rules.find((r) => matches(layer, r.match))?.rule ?? null;
    },
  };
}
