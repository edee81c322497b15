import type { Canonizer } from '../canonizers/types';
import type { LinearType } from '../graph/types';
import type { LayerInfo, Rule } from '../rules/types';
import type { NodeInfo, NodeRule } from '../rules/node-rules';

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
  /**
   * The rule for an Add or activation node, or null for the default: Add splits in proportion to its
   * inputs (`proportional()`, ±1e-6), activations pass relevance through.
   */
  nodeRuleFor?(node: NodeInfo): NodeRule | null;
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

/** Selects Add and activation nodes; every given field must match. */
export interface NodeMatch {
  kind?: 'add' | 'activation';
  name?: string | RegExp;
  className?: string | string[];
  /** Activation name(s): 'relu', 'sigmoid', … */
  activation?: string | string[];
}

/** One entry for Add/activation nodes: the first matching entry gives the node's rule. */
export interface NodeRuleAssignment {
  match: NodeMatch | ((node: NodeInfo) => boolean);
  rule: NodeRule;
}

/** Options of {@link composite}. */
export interface CompositeSpec {
  name?: string;
  key?: string;
  rules: RuleAssignment[];
  /** Rules for Add and activation nodes (e.g. the Add split's stabilizer). Default: none (see Composite). */
  nodeRules?: NodeRuleAssignment[];
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

/** Whether an Add/activation node matches. */
export function nodeMatches(node: NodeInfo, match: NodeMatch | ((node: NodeInfo) => boolean)): boolean {
  if (typeof match === 'function') return match(node);
  if (match.kind !== undefined && match.kind !== node.kind) return false;
  if (match.name !== undefined) {
    if (typeof match.name === 'string' ? match.name !== node.name : !match.name.test(node.name)) return false;
  }
  if (!oneOf(node.className, match.className)) return false;
  return match.activation === undefined || (node.activation !== undefined && oneOf(node.activation, match.activation));
}

/** A composite from a list of (match, rule) entries; the first match wins (as zennit's layer maps). */
export function composite(spec: CompositeSpec): Composite {
  const rules = [...spec.rules];
  const nodeRules = [...(spec.nodeRules ?? [])];
  return {
    name: spec.name ?? 'custom',
    key: spec.key,
    canonizers: spec.canonizers,
    maxPool: spec.maxPool,
    ruleFor(layer) {
      return rules.find((r) => matches(layer, r.match))?.rule ?? null;
    },
    nodeRuleFor(node) {
      return nodeRules.find((r) => nodeMatches(node, r.match))?.rule ?? null;
    },
  };
}
