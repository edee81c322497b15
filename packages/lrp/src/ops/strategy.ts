import * as tf from '@tensorflow/tfjs';

/**
 * How the backward (transposed) steps run. Measured on tfjs 4.22 (8 images, 2-core x86, process CPU
 * time, scripts/bench-ops.ts):
 * - wasm: `conv2dTranspose` (Conv2DBackpropInput) is 5–10× slower than a forward `conv2d` with the
 *   spatially flipped, in/out-swapped kernel, which goes through XNNPACK (8×64×64×64, 3×3: 587 vs
 *   55 ms). For max pooling with non-overlapping windows, a winner mask from elementwise ops (≈11 ms
 *   for 8×64×64×64) beats the shipped MaxPoolGrad kernel (35 ms) and maxPoolWithArgmax + scatterND (17 ms);
 *   @lrpjs/models' replacement MaxPoolGrad (one pass, exact) beats the mask, and is used when registered.
 *   wasm's MaxPoolGrad and MaxPoolWithArgmax also start their search at FLT_MIN instead of −∞: windows
 *   whose values are all ≤ 0 lose their gradient, so on wasm that kernel gets its input shifted above 0.
 * - cpu: the other way round: conv2dTranspose is 2× faster than the flipped conv, MaxPoolGrad faster than
 *   the mask (plain JS elementwise ops are slow).
 * - webgl / tensorflow: native conv2dTranspose; the mask for max pooling (elementwise ops are cheap
 *   there, and it picks the same winner — the first maximum — on every backend).
 */
export interface OpStrategy {
  /** 'flipped': forward conv with a flipped kernel; 'native': tf.conv2dTranspose. */
  convTranspose: 'flipped' | 'native';
  /**
   * 'mask': non-overlapping windows route through an elementwise mask of each window's first maximum;
   * 'gradient': the MaxPoolGrad kernel (overlapping windows always use it).
   */
  maxPoolRouting: 'mask' | 'gradient';
  /** Shift the MaxPoolGrad kernel's input above 0 (works around wasm's FLT_MIN start). */
  maxPoolGradPositive: boolean;
}

type StrategyOverride = Partial<OpStrategy>;
let override: StrategyOverride = {};

/** Forces a strategy (tests compare the routes); `{}` restores the per-backend choice. */
export function setOpStrategy(next: StrategyOverride): void {
  override = { ...next };
}

/**
 * Whether the backend's MaxPoolGrad is one that marks itself as routing to each window's first maximum
 * from −∞ (@lrpjs/models' wasm kernel, registered by its selectBackend / registerWasmKernels). That kernel
 * is one pass over the windows: on wasm it beats the mask's ten elementwise ops (net1, 8 images, tutorial
 * composite: 17 % less CPU time per explain call, identical relevance), and it needs no shift above 0.
 */
function hasExactMaxPoolGrad(backend: string): boolean {
  const config = tf.getKernel('MaxPoolGrad', backend) as { firstMaxFromMinusInfinity?: boolean } | undefined;
  return config?.firstMaxFromMinusInfinity === true;
}

/** The strategy for the active backend. */
export function opStrategy(): OpStrategy {
  const backend = tf.getBackend();
  const exactGrad = backend === 'wasm' && hasExactMaxPoolGrad(backend);
  return {
    convTranspose: override.convTranspose ?? (backend === 'wasm' ? 'flipped' : 'native'),
    maxPoolRouting: override.maxPoolRouting ?? (backend === 'cpu' || exactGrad ? 'gradient' : 'mask'),
    maxPoolGradPositive: override.maxPoolGradPositive ?? (backend === 'wasm' && !exactGrad),
  };
}
