/**
 * @lrpjs/attribution — attribution baselines beside LRP and faithfulness evaluation.
 *
 * Methods share `explain`'s call shape `(model, x, { target })` and result type, so LRP and the
 * baselines are interchangeable; the evaluation (pixel flipping, randomization checks, completeness)
 * takes heatmaps from any of them. @lrpjs/lrp's core knows nothing of this package.
 */
export type {
  AttributionModel,
  AttributionTarget,
  AttributionOptions,
  AttributionResult,
  AttributionMethod,
} from './types';
export { forwardOf } from './model';
export type { Forward } from './model';

export { gradient, inputXGradient } from './methods/gradient';
export { smoothGrad } from './methods/smoothgrad';
export type { SmoothGradOptions } from './methods/smoothgrad';
export { integratedGradients, integrationPoints, makeBaseline } from './methods/integrated-gradients';
export type {
  Baseline,
  IntegrationRule,
  IntegratedGradientsOptions,
  IntegratedGradientsResult,
  Completeness,
} from './methods/integrated-gradients';
export { gradCam, defaultCamLayer } from './methods/grad-cam';
export type { GradCamOptions, GradCamResult } from './methods/grad-cam';
export { occlusion } from './methods/occlusion';
export type { OcclusionOptions } from './methods/occlusion';
export { randomAttribution } from './methods/random';
export type { RandomOptions } from './methods/random';
export { BASELINE_NAMES, BASELINE_CATALOG, isBaselineName, runBaseline } from './methods/catalog';
export type { BaselineName, BaselineInfo } from './methods/catalog';

export { gaussianBlur } from './ops/blur';

export { pixelFlipping } from './evaluation/pixel-flipping';
export type {
  FlipOrder,
  FlipCurve,
  PixelFlippingOptions,
  PixelFlippingProtocol,
  PixelFlippingResult,
} from './evaluation/pixel-flipping';
export type { Replacement } from './evaluation/replacement';
export { auc, aopc } from './evaluation/curves';
export { cascadingRandomization } from './evaluation/randomization';
export type {
  HeatmapFunction,
  RandomizationOptions,
  RandomizationResult,
  RandomizationStep,
} from './evaluation/randomization';
export { spearman, pearson, ranks, ssim, minMaxScale } from './evaluation/similarity';
export { completeness, layerSums } from './evaluation/completeness';
export type { CompletenessReport } from './evaluation/completeness';
