import type { ColormapName } from '@lrpjs/viz';
import type { CompositeSpec, MethodName } from '../engine/protocol';

export type TargetMode = 'predicted' | 'true' | 'class' | 'contrast';
export type LimitsChoice = 'symmetric' | 'p99';
/** Heatmap alone, or laid over the explained photo. */
export type ViewMode = 'heatmap' | 'overlay';

/** Everything the user chooses about the explanations; a share link carries all of it. */
export interface Settings {
  targetMode: TargetMode;
  /** The class of "why <class>?" and "why not <class>?". */
  classIndex: number;
  /** Composite per net; a net without an entry uses the recommendation of @lrpjs/lrp. */
  composites: Record<string, CompositeSpec>;
  /** Nets switched off (not recomputed, not shown). */
  hidden: string[];
  /** The net whose rules the controls edit. */
  editNet: string;
  colormap: ColormapName;
  limits: LimitsChoice;
  view: ViewMode;
  /** Heatmap opacity in overlay mode, 0..1. */
  opacity: number;
  /** LRP (each model's composite) or a baseline of @lrpjs/attribution, for every model. */
  method: MethodName;
  /** Show each heatmap's pixel-flipping curve (MoRF, LeRF; recomputed after each heatmap). */
  flipping: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  targetMode: 'predicted',
  classIndex: 0,
  composites: {},
  hidden: [],
  editNet: '',
  colormap: 'seismic-dark',
  limits: 'symmetric',
  view: 'heatmap',
  opacity: 0.6,
  method: 'lrp',
  flipping: false,
};
