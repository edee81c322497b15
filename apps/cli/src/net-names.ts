/** Names and facts about the nets and composites, without loading tfjs (keeps `--help` fast). */
import {
  COMPOSITE_CATALOG,
  COMPOSITE_NAMES as CATALOG_NAMES,
  compositeInfo,
  isCompositeName,
  resolveCompositeParams,
  type CompositeParamName,
  type CompositeParams,
} from '@lrpjs/lrp/catalog';
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

/** Names `--composite` accepts: 'auto' (the registry's recommendation per net) and the catalogue's presets. */
export const COMPOSITE_NAMES = ['auto', ...CATALOG_NAMES] as const;

/** CLI flag of each catalogue parameter (the catalogue's z^B bounds `low`/`high` are `--lowest`/`--highest`). */
const FLAGS: Record<CompositeParamName, keyof Omit<CompositeSettings, 'name'>> = {
  gamma: 'gamma',
  epsilon: 'epsilon',
  low: 'lowest',
  high: 'highest',
};

/** The flags a composite takes; 'auto' takes those of every preset it may pick. */
export function compositeFlags(name: string): string[] {
  const params =
    name === 'auto'
      ? [...new Set(COMPOSITE_CATALOG.flatMap((c) => c.parameters.map((p) => p.name)))]
      : compositeInfo(name).parameters.map((p) => p.name);
  return params.map((p) => FLAGS[p]);
}

/** The settings as catalogue parameters (`lowest` → `low`), undefined ones left out. */
export function catalogParams(settings: CompositeSettings): CompositeParams {
  const out: CompositeParams = {};
  for (const param of Object.keys(FLAGS) as CompositeParamName[]) {
    const value = settings[FLAGS[param]];
    if (value !== undefined) out[param] = value;
  }
  return out;
}

export interface CompositeSettings {
  /** A catalogue preset (@lrpjs/lrp/catalog), or 'auto': the registry's recommendation for the net (recommendedComposite). */
  name: string;
  gamma?: number;
  epsilon?: number;
  lowest?: number;
  highest?: number;
}

/** The composite flags of a command (`--composite`, `--gamma`, `--epsilon`, `--lowest`, `--highest`) as settings. */
export function compositeSettings(flags: { composite: string } & Omit<CompositeSettings, 'name'>): CompositeSettings {
  const { composite: name, gamma, epsilon, lowest, highest } = flags;
  return { name, gamma, epsilon, lowest, highest };
}

/** Fails (usage error, before any long work) when a parameter does not belong to the composite or is out of range. */
export function checkCompositeParameters(settings: CompositeSettings): void {
  if (settings.name !== 'auto' && !isCompositeName(settings.name)) {
    throw new UsageError(`unknown composite '${settings.name}'`, `use one of ${COMPOSITE_NAMES.join(', ')}`);
  }
  const allowed = compositeFlags(settings.name);
  for (const key of ['gamma', 'epsilon', 'lowest', 'highest'] as const) {
    if (settings[key] !== undefined && !allowed.includes(key)) {
      throw new UsageError(
        `--${key} does not apply to the ${settings.name} composite`,
        `it takes ${allowed.map((n) => `--${n}`).join(', ') || 'no parameters'}`,
      );
    }
  }
  if (settings.lowest !== undefined && settings.highest !== undefined && !(settings.lowest < settings.highest)) {
    throw new UsageError(
      `--lowest ${settings.lowest} is not below --highest ${settings.highest}`,
      'pass lowest < highest (the input range, -1.5 and 1.5 for the tutorial)',
    );
  }
  // Ranges come from the catalogue ('auto' is checked against the preset it picks, when it picks it).
  if (settings.name === 'auto') return;
  try {
    resolveCompositeParams(settings.name, catalogParams(settings));
  } catch (e) {
    const message = (e as Error).message.replace(
      /^(low|high|gamma|epsilon)\b/,
      (p) => `--${FLAGS[p as CompositeParamName]}`,
    );
    throw new UsageError(message, 'pick a value inside the range');
  }
}
