/**
 * The baselines' names and labels, without tfjs: what a CLI or a page lists (`@lrpjs/attribution/catalog`),
 * as `@lrpjs/lrp/catalog` lists the composites.
 */
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
  smoothgrad: { name: 'smoothgrad', label: 'SmoothGrad', settings: { samples: 20, noiseLevel: 0.1 } },
  ig: { name: 'ig', label: 'Integrated Gradients', settings: { steps: 32, baseline: 'zeros', rule: 'riemann-middle' } },
  gradcam: { name: 'gradcam', label: 'Grad-CAM', settings: { layer: 'last conv with spatial output' } },
  occlusion: {
    name: 'occlusion',
    label: 'Occlusion',
    settings: { patch: 'image side / 8', stride: 'patch / 2', fill: 0 },
  },
  random: { name: 'random', label: 'Random', settings: { seed: 0 } },
};

export function isBaselineName(name: string): name is BaselineName {
  return (BASELINE_NAMES as readonly string[]).includes(name);
}
