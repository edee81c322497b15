/**
 * The baselines' names, labels and default sizes, without tfjs: what a CLI or a page lists
 * (`@lrpjs/attribution/catalog`), as `@lrpjs/lrp/catalog` lists the composites.
 */
// Defaults sized for evaluating many images: each method costs a bounded number of passes per image
// (SmoothGrad 16 and IG 16 forward+backward passes, occlusion 64 forwards), comparable to the ~200
// forwards pixel flipping spends on each image, so no method dominates an evaluation's time.
export const SMOOTHGRAD_SAMPLES = 16;
export const IG_STEPS = 16;
export const OCCLUSION_WINDOWS = 8;

/** Occlusion's patch and stride for an image side: 8 windows per side (64 → patch 8, stride 8). */
export function occlusionGrid(side: number): { patch: number; stride: number } {
  const patch = Math.max(1, Math.ceil(side / OCCLUSION_WINDOWS));
  return { patch, stride: Math.max(1, Math.floor((side - patch) / (OCCLUSION_WINDOWS - 1))) };
}

/** The baselines by name, with their default settings (the names a CLI or UI offers). */
export const BASELINE_NAMES = [
  'gradient',
  'inputXGradient',
  'smoothgrad',
  'ig',
  'gradcam',
  'occlusion',
  'random',
] as const;
export type BaselineName = (typeof BASELINE_NAMES)[number];

export interface BaselineInfo {
  name: BaselineName;
  label: string;
  /** The settings the catalogue runs it with. */
  settings: Record<string, string | number>;
}

export const BASELINE_CATALOG: Record<BaselineName, BaselineInfo> = {
  gradient: { name: 'gradient', label: 'Gradient', settings: {} },
  inputXGradient: { name: 'inputXGradient', label: 'Gradient × Input', settings: {} },
  smoothgrad: { name: 'smoothgrad', label: 'SmoothGrad', settings: { samples: SMOOTHGRAD_SAMPLES, noiseLevel: 0.1 } },
  ig: {
    name: 'ig',
    label: 'Integrated Gradients',
    settings: { steps: IG_STEPS, baseline: 'zeros', rule: 'riemann-middle' },
  },
  gradcam: { name: 'gradcam', label: 'Grad-CAM', settings: { layer: 'last conv with spatial output' } },
  occlusion: {
    name: 'occlusion',
    label: 'Occlusion',
    settings: { patch: '⌈image side / 8⌉', stride: '8 windows per side', fill: 0 },
  },
  random: { name: 'random', label: 'Random', settings: { seed: 0 } },
};

export function isBaselineName(name: string): name is BaselineName {
  return (BASELINE_NAMES as readonly string[]).includes(name);
}
