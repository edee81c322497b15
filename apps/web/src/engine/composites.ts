import {
  epsilonAlpha2Beta1,
  epsilonGammaBox,
  epsilonPlus,
  epsilonPlusFlat,
  tutorialComposite,
  type Composite,
} from '@lrpjs/lrp';
import type { CompositeName, CompositeParams, CompositeSpec } from './protocol';

export interface CompositeInfo {
  name: CompositeName;
  label: string;
  description: string;
  /** Parameters this composite reads; the others' sliders are disabled. */
  uses: (keyof CompositeParams)[];
}

/** The tutorial's values: γ 0.25, ε 1e-9, z^B bounds ±1.5 (pixels 0 and 1 after x·3 − 1.5). */
export const TUTORIAL_PARAMS: CompositeParams = { gamma: 0.25, epsilon: 1e-9, low: -1.5, high: 1.5 };

export const COMPOSITES: CompositeInfo[] = [
  {
    name: 'tutorial',
    label: 'Tutorial: z^B → γ → LRP-0',
    description:
      'The tutorial’s rules: z^B on the first layer, LRP-γ on the middle layers, LRP-0 on the top layer, +ε everywhere.',
    uses: ['gamma', 'epsilon', 'low', 'high'],
  },
  {
    name: 'epsilon-gamma-box',
    label: 'EpsilonGammaBox (zennit)',
    description: 'z^B on the first conv, γ on the other convs, ε on dense layers; sign-aware ε.',
    uses: ['gamma', 'epsilon', 'low', 'high'],
  },
  {
    name: 'epsilon-plus',
    label: 'EpsilonPlus (zennit)',
    description: 'z⁺ on every conv (positive contributions only), ε on dense layers.',
    uses: ['epsilon'],
  },
  {
    name: 'epsilon-plus-flat',
    label: 'EpsilonPlusFlat (zennit)',
    description: 'Flat rule on the first layer (relevance spread over its receptive field), z⁺ on convs, ε on dense.',
    uses: ['epsilon'],
  },
  {
    name: 'epsilon-alpha2-beta1',
    label: 'EpsilonAlpha2Beta1 (zennit)',
    description: 'α2β1 on convs (positive contributions ×2, negative ×1), ε on dense layers.',
    uses: ['epsilon'],
  },
];

/** The lrp composite for the page's choice (lrp memoizes presets by their options). */
export function buildComposite(spec: CompositeSpec): Composite {
  const { gamma, epsilon, low, high } = spec.params;
  if (!(low < high))
    throw new Error(`The lower bound (${low}) must be below the upper bound (${high}); move the sliders apart.`);
  switch (spec.name) {
    case 'tutorial':
      return tutorialComposite({ gamma, epsilon, lowest: low, highest: high });
    case 'epsilon-gamma-box':
      return epsilonGammaBox({ gamma, epsilon, low, high });
    case 'epsilon-plus':
      return epsilonPlus({ epsilon });
    case 'epsilon-plus-flat':
      return epsilonPlusFlat({ epsilon });
    case 'epsilon-alpha2-beta1':
      return epsilonAlpha2Beta1({ epsilon });
  }
}
