/** Names and facts about the nets and composites, without loading tfjs (keeps `--help` fast). */
import { UsageError } from './errors';

export const NET_NAMES = ['net1', 'net2', 'net3', 'net4'] as const;
export type NetName = (typeof NET_NAMES)[number];

/** Input side of each net: the tutorial's 64, the face backbone's 150. */
export const NET_INPUT_SIZE: Record<NetName, number> = { net1: 64, net2: 64, net3: 64, net4: 150 };

export const NET_DESCRIPTIONS: Record<NetName, string> = {
  net1: '3 × (conv 5×5 + ReLU + max-pool 2×2), top conv 8×8; trained from scratch',
  net2: 'net1 + channel dropout (p = 0.5) before the top conv',
  net3: 'VGG-16 layers 1–17 (ImageNet), logistic regression as the top 8×8 conv',
  net4: 'face-api ResNet face descriptor (150×150), logistic regression as a dense top layer',
};

/** Names of the composites `--composite` accepts. */
export const COMPOSITE_NAMES = [
  'auto',
  'tutorial',
  'epsilon-gamma-box',
  'epsilon-plus',
  'epsilon-plus-flat',
  'epsilon-alpha2-beta1',
] as const;

/** Parameters each composite takes (others are a usage error). */
export const COMPOSITE_PARAMETERS: Record<(typeof COMPOSITE_NAMES)[number], readonly string[]> = {
  auto: ['gamma', 'epsilon', 'lowest', 'highest'],
  tutorial: ['gamma', 'epsilon', 'lowest', 'highest'],
  'epsilon-gamma-box': ['gamma', 'epsilon', 'lowest', 'highest'],
  'epsilon-plus': ['epsilon'],
  'epsilon-plus-flat': ['epsilon'],
  'epsilon-alpha2-beta1': ['epsilon'],
};

export interface CompositeSettings {
  /** Preset name; 'auto': tutorial, or epsilon-plus for residual nets; 'tutorial': LRP-γ on the lower layers, LRP-0 on the top layer, z^B on the input. */
  name: string;
  gamma?: number;
  epsilon?: number;
  lowest?: number;
  highest?: number;
}

/** Fails (usage error, before any long work) when a parameter does not belong to the composite. */
export function checkCompositeParameters(settings: CompositeSettings): void {
  const allowed = COMPOSITE_PARAMETERS[settings.name as keyof typeof COMPOSITE_PARAMETERS];
  if (!allowed)
    throw new UsageError(`unknown composite '${settings.name}'`, `use one of ${COMPOSITE_NAMES.join(', ')}`);
  for (const key of ['gamma', 'epsilon', 'lowest', 'highest'] as const) {
    if (settings[key] !== undefined && !allowed.includes(key)) {
      throw new UsageError(
        `--${key} does not apply to the ${settings.name} composite`,
        `it takes ${allowed.map((n) => `--${n}`).join(', ')}`,
      );
    }
  }
  if (settings.lowest !== undefined && settings.highest !== undefined && !(settings.lowest < settings.highest)) {
    throw new UsageError(
      `--lowest ${settings.lowest} is not below --highest ${settings.highest}`,
      'pass lowest < highest (the input range, -1.5 and 1.5 for the tutorial)',
    );
  }
}
