import type { Bound, LayerInfo } from '../rules/types';
import { epsilon, gamma, lrp0, type GammaOptions } from '../rules/general';
import { zBox } from '../rules/z-box';
import { alphaBeta, zPlus } from '../rules/alpha-beta';
import { flat } from '../rules/flat';
import type { Composite, LayerMatch, RuleAssignment } from './composite';
import { composite, type NodeRuleAssignment } from './composite';
import { proportional } from '../rules/node-rules';

/** The residual Add split with the composite's ε, sign-aware (a plain +ε would flip small negative sums). */
const addSplit = (eps: number): NodeRuleAssignment[] => [
  { match: { kind: 'add' }, rule: proportional({ stabilizer: { epsilon: eps, mode: 'sign' } }) },
];

// Presets are memoized by their options so that repeated calls share one set of cached weights.
const memo = new Map<string, Composite>();
function memoized(key: string, make: () => Composite): Composite {
  let c = memo.get(key);
  if (!c) {
    c = make();
    memo.set(key, c);
  }
  return c;
}

function boundKey(b: Bound): string {
  return typeof b === 'number' || Array.isArray(b) ? JSON.stringify(b) : `tensor#${(b as { id: number }).id}`;
}

/** Options of {@link tutorialComposite}. */
export interface TutorialCompositeOptions {
  /** γ of the rule on every conv and pooling layer below the top layer. Default 0.25. */
  gamma?: number;
  /** The increment of every step. Default 1e-9. */
  epsilon?: number;
  /** z^B lowest input value (model input space). Default -1.5 (pixels 0..1 normalized as x·3 − 1.5). */
  lowest?: Bound;
  /** z^B highest input value. Default 1.5. */
  highest?: Bound;
}

/**
 * The tutorial's composite: z^B with [lowest, highest] on the first weight layer, LRP-0 on the top
 * (last weight) layer, LRP-γ on every other conv, dense and pooling layer (on max pooling γ has no
 * weights to act on: winner-take-all with +ε), all with the plain +ε increment.
 */
export function tutorialComposite(options: TutorialCompositeOptions = {}): Composite {
  const { gamma: g = 0.25, epsilon: eps = 1e-9, lowest = -1.5, highest = 1.5 } = options;
  const key = `tutorial:${g}:${eps}:${boundKey(lowest)}:${boundKey(highest)}`;
  return memoized(key, () =>
    composite({
      name: 'tutorial',
      key,
      nodeRules: addSplit(eps),
      rules: [
        { match: { position: 'first' }, rule: zBox({ low: lowest, high: highest, stabilizer: eps }) },
        { match: { position: 'last' }, rule: lrp0({ stabilizer: eps }) },
        { match: () => true, rule: gamma({ gamma: g, stabilizer: eps, form: 'tutorial' }) },
      ],
    }),
  );
}

const firstConv = (l: LayerInfo) => l.type === 'conv' && l.typeIndex === 0;
const pooling: LayerMatch = { type: ['avgpool', 'gap'] };

/** Options of the zennit presets. */
export interface ZennitCompositeOptions {
  /** ε of the ε rule (and of every sign-aware stabilizer). Default 1e-6, zennit's. */
  epsilon?: number;
}

/** Options of {@link epsilonGammaBox}. */
export interface EpsilonGammaBoxOptions extends ZennitCompositeOptions {
  /** Lowest input value (model input space). Default -1.5. */
  low?: Bound;
  /** Highest input value. Default 1.5. */
  high?: Bound;
  /** Default 0.25. */
  gamma?: number;
  /** Form of the γ rule (see {@link GammaOptions}). Default 'sign-aware', zennit's. */
  gammaForm?: GammaOptions['form'];
}

/**
 * zennit's EpsilonGammaBox: z^B on the first conv, zennit's sign-aware γ on the other convs, ε on dense
 * layers, average pooling normalized by its inputs (zennit's Norm = ε); max pooling winner-take-all. All
 * stabilizers sign-aware (z + ε·sign z).
 */
export function epsilonGammaBox(options: EpsilonGammaBoxOptions = {}): Composite {
  const { low = -1.5, high = 1.5, gamma: g = 0.25, epsilon: eps = 1e-6, gammaForm = 'sign-aware' } = options;
  const stabilizer = { epsilon: eps, mode: 'sign' as const };
  const key = `epsilon-gamma-box:${boundKey(low)}:${boundKey(high)}:${g}:${eps}:${gammaForm}`;
  return memoized(key, () =>
    composite({
      name: 'EpsilonGammaBox',
      key,
      nodeRules: addSplit(eps),
      rules: [
        { match: firstConv, rule: zBox({ low, high, stabilizer }) },
        { match: { type: 'conv' }, rule: gamma({ gamma: g, stabilizer, form: gammaForm }) },
        { match: { type: 'dense' }, rule: epsilon({ epsilon: eps, mode: 'sign' }) },
        { match: pooling, rule: epsilon({ epsilon: eps, mode: 'sign' }) },
      ],
    }),
  );
}

function plusRules(eps: number, convRule: RuleAssignment['rule']): RuleAssignment[] {
  return [
    { match: { type: 'conv' }, rule: convRule },
    { match: { type: 'dense' }, rule: epsilon({ epsilon: eps, mode: 'sign' }) },
    { match: pooling, rule: epsilon({ epsilon: eps, mode: 'sign' }) },
  ];
}

/** zennit's EpsilonPlus: z⁺ on convs, ε on dense layers, Norm on average pooling. */
export function epsilonPlus(options: ZennitCompositeOptions = {}): Composite {
  const { epsilon: eps = 1e-6 } = options;
  const key = `epsilon-plus:${eps}`;
  return memoized(key, () =>
    composite({
      name: 'EpsilonPlus',
      key,
      nodeRules: addSplit(eps),
      rules: plusRules(eps, zPlus({ stabilizer: { epsilon: eps, mode: 'sign' } })),
    }),
  );
}

/** zennit's EpsilonPlusFlat: flat on the first weight layer, z⁺ on convs, ε on dense layers. */
export function epsilonPlusFlat(options: ZennitCompositeOptions = {}): Composite {
  const { epsilon: eps = 1e-6 } = options;
  const stabilizer = { epsilon: eps, mode: 'sign' as const };
  const key = `epsilon-plus-flat:${eps}`;
  return memoized(key, () =>
    composite({
      name: 'EpsilonPlusFlat',
      key,
      nodeRules: addSplit(eps),
      rules: [{ match: { position: 'first' }, rule: flat({ stabilizer }) }, ...plusRules(eps, zPlus({ stabilizer }))],
    }),
  );
}

/** zennit's EpsilonAlpha2Beta1: α2β1 on convs, ε on dense layers. */
export function epsilonAlpha2Beta1(options: ZennitCompositeOptions = {}): Composite {
  const { epsilon: eps = 1e-6 } = options;
  const key = `epsilon-alpha2-beta1:${eps}`;
  return memoized(key, () =>
    composite({
      name: 'EpsilonAlpha2Beta1',
      key,
      nodeRules: addSplit(eps),
      rules: plusRules(eps, alphaBeta({ alpha: 2, beta: 1, stabilizer: { epsilon: eps, mode: 'sign' } })),
    }),
  );
}
