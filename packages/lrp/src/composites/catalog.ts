/**
 * The composite catalogue: every preset's name, parameters (defaults and ranges), description and
 * citation, with no tfjs import, so a CLI's `--help` or a page's controls can list them cheaply.
 * {@link ./registry} turns an entry into a Composite; this file is the single list of presets.
 */

/** Names of the presets, as the CLI (`--composite`), the web app and the run folder spell them. */
export const COMPOSITE_NAMES = [
  'tutorial',
  'epsilon-gamma-box',
  'epsilon-plus',
  'epsilon-plus-flat',
  'epsilon-alpha2-beta1',
] as const;
export type CompositeName = (typeof COMPOSITE_NAMES)[number];

/** Parameters a preset can take. `low`/`high` are the z^B input bounds in model input space. */
export type CompositeParamName = 'gamma' | 'epsilon' | 'low' | 'high';
export type CompositeParams = Partial<Record<CompositeParamName, number>>;

export interface CompositeParameter {
  name: CompositeParamName;
  /** Short label for a control ("γ"). */
  label: string;
  description: string;
  default: number;
  /** Inclusive range a user may choose from; values outside are rejected. */
  min: number;
  max: number;
  /** How a slider should move over the range. */
  scale: 'linear' | 'log';
}

export interface CompositeInfo {
  name: CompositeName;
  /** Human label ("EpsilonPlus (zennit)"). */
  label: string;
  /** One line: which rule goes where. */
  description: string;
  /** Where the preset comes from. */
  citation: string;
  parameters: readonly CompositeParameter[];
}

const MONTAVON_2019 =
  'Montavon, Binder, Lapuschkin, Samek, Müller: Layer-Wise Relevance Propagation: An Overview (2019); the tutorial "Deep Neural Networks and Explanations"';
const ZENNIT =
  'Anders, Neumann, Samek, Müller, Lapuschkin: Software for Dataset-wide XAI: From Local Explanations to Global Insights with Zennit, CoRelAy, and ViRelAy (2021)';

const gammaParam = (dflt: number): CompositeParameter => ({
  name: 'gamma',
  label: 'γ',
  description: 'weight of positive contributions in the γ rule',
  default: dflt,
  min: 0,
  max: 10,
  scale: 'linear',
});
const epsilonParam = (dflt: number): CompositeParameter => ({
  name: 'epsilon',
  label: 'ε',
  description: 'stabilizer added to every denominator',
  default: dflt,
  min: 1e-12,
  max: 10,
  scale: 'log',
});
const boundParams: readonly CompositeParameter[] = [
  {
    name: 'low',
    label: 'lowest input',
    description: 'z^B lower input bound, in model input space',
    default: -1.5,
    min: -1e6,
    max: 1e6,
    scale: 'linear',
  },
  {
    name: 'high',
    label: 'highest input',
    description: 'z^B upper input bound, in model input space',
    default: 1.5,
    min: -1e6,
    max: 1e6,
    scale: 'linear',
  },
];

export const COMPOSITE_CATALOG: readonly CompositeInfo[] = [
  {
    name: 'tutorial',
    label: 'Tutorial: z^B → γ → LRP-0',
    description:
      'The tutorial’s rules: z^B on the first layer, LRP-γ on the middle layers, LRP-0 on the top layer, plain +ε.',
    citation: MONTAVON_2019,
    parameters: [gammaParam(0.25), epsilonParam(1e-9), ...boundParams],
  },
  {
    name: 'epsilon-gamma-box',
    label: 'EpsilonGammaBox (zennit)',
    description:
      'z^B on the first conv, zennit’s sign-aware γ on the other convs, ε on dense layers; sign-aware ε, also at residual sums.',
    citation: ZENNIT,
    parameters: [gammaParam(0.25), epsilonParam(1e-6), ...boundParams],
  },
  {
    name: 'epsilon-plus',
    label: 'EpsilonPlus (zennit)',
    description: 'z⁺ on every conv (positive contributions only), ε on dense layers.',
    citation: ZENNIT,
    parameters: [epsilonParam(1e-6)],
  },
  {
    name: 'epsilon-plus-flat',
    label: 'EpsilonPlusFlat (zennit)',
    description: 'Flat rule on the first layer (relevance spread over its receptive field), z⁺ on convs, ε on dense.',
    citation: ZENNIT,
    parameters: [epsilonParam(1e-6)],
  },
  {
    name: 'epsilon-alpha2-beta1',
    label: 'EpsilonAlpha2Beta1 (zennit)',
    description: 'α2β1 on convs (positive contributions ×2, negative ×1), ε on dense layers.',
    citation: ZENNIT,
    parameters: [epsilonParam(1e-6)],
  },
];

export function isCompositeName(name: string): name is CompositeName {
  return (COMPOSITE_NAMES as readonly string[]).includes(name);
}

/** The catalogue entry of `name`; an unknown name is an error that lists the known ones. */
export function compositeInfo(name: string): CompositeInfo {
  const info = COMPOSITE_CATALOG.find((c) => c.name === name);
  if (!info) throw new Error(`unknown composite '${name}': use one of ${COMPOSITE_NAMES.join(', ')}`);
  return info;
}

/**
 * `params` completed with the preset's defaults, after checking that every given parameter belongs to
 * the preset, is a finite number inside its range, and that low < high. Errors name the parameter.
 */
export function resolveCompositeParams(name: string, params: CompositeParams = {}): Required<CompositeParams> {
  const info = compositeInfo(name);
  const out: CompositeParams = {};
  for (const [key, value] of Object.entries(params) as [CompositeParamName, number | undefined][]) {
    if (value === undefined) continue;
    const p = info.parameters.find((q) => q.name === key);
    if (!p) {
      const takes = info.parameters.map((q) => q.name).join(', ') || 'no parameters';
      throw new Error(`${key} does not apply to the ${name} composite (it takes ${takes})`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < p.min || value > p.max) {
      throw new Error(`${key} = ${String(value)} is outside the ${name} composite's range [${p.min}, ${p.max}]`);
    }
    out[key] = value;
  }
  for (const p of info.parameters) if (out[p.name] === undefined) out[p.name] = p.default;
  if (out.low !== undefined && out.high !== undefined && !(out.low < out.high)) {
    throw new Error(`low (${out.low}) must be below high (${out.high}): they are the input range of z^B`);
  }
  return out as Required<CompositeParams>;
}

/** What {@link recommendCompositeFor} needs to know about a model. */
export interface ModelTraits {
  /** The model adds branches (residual `Add`/`AddV2` of two computed tensors). */
  residual: boolean;
}

/** A recommended composite with its parameters and the reason, for display. */
export interface CompositeRecommendation {
  name: CompositeName;
  params: Required<CompositeParams>;
  reason: string;
}

/**
 * The one place that decides which preset suits a model. Residual nets get EpsilonPlus: there LRP-γ with
 * the tutorial's plain +ε diverges (relevance sums of 1e7–1e9 on the face backbone against logits near 3)
 * while EpsilonPlus conserves and stays on the face. Plain conv nets keep the tutorial's composite.
 */
export function recommendCompositeFor(traits: ModelTraits): CompositeRecommendation {
  if (traits.residual) {
    return {
      name: 'epsilon-plus',
      params: resolveCompositeParams('epsilon-plus'),
      reason: 'residual connections: EpsilonPlus stays stable where γ with plain ε diverges',
    };
  }
  return {
    name: 'tutorial',
    params: resolveCompositeParams('tutorial'),
    reason: 'plain convolutional net: the tutorial’s z^B → γ → LRP-0',
  };
}
