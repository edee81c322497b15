import * as tf from '@tensorflow/tfjs';

/**
 * How the backward (transposed) steps run. Measured on tfjs 4.22 (8 images, 2-core x86, process CPU
 * time, scripts/bench-ops.ts):
 * - wasm: `conv2dTranspose` (Conv2DBackpropInput) is 5–10× slower than a forward `conv2d` with the
 *   spatially flipped, in/out-swapped kernel, which goes through XNNPACK (8×64×64×64, 3×3: 587 vs
 *   55 ms). For max pooling with non-overlapping windows, a winner mask from elementwise ops (≈11 ms
 *   for 8×64×64×64) beats the MaxPoolGrad kernel (35 ms) and maxPoolWithArgmax + scatterND (17 ms).
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
  /**
   * Shift the MaxPoolGrad kernel's input above 0 (works around wasm's FLT_MIN start). Only where the registered
   * kernel needs it: the shift rounds (x + 1 − min x can make close values equal and move the winner), so a
   * kernel that searches from −∞ (e.g. the one @lrpjs/models registers for wasm) runs unshifted.
   */
  maxPoolGradPositive: boolean;
}

type StrategyOverride = Partial<OpStrategy>;
let override: StrategyOverride = {};

/** Forces a strategy (tests compare the routes); `{}` restores the per-backend choice. */
export function setOpStrategy(next: StrategyOverride): void {
  override = { ...next };
}

/** The strategy for the active backend. */
export function opStrategy(): OpStrategy {
  const backend = tf.getBackend();
  return {
    convTranspose: override.convTranspose ?? (backend === 'wasm' ? 'flipped' : 'native'),
    maxPoolRouting: override.maxPoolRouting ?? (backend === 'cpu' ? 'gradient' : 'mask'),
    maxPoolGradPositive: override.maxPoolGradPositive ?? (backend === 'wasm' && maxPoolGradLosesNegatives()),
  };
}

/** Per registered MaxPoolGrad kernel function: whether it drops the gradient of windows whose values are all < 0. */
const negativeWindowProbe = new WeakMap<object, boolean>();

/**
 * Asks the active backend's MaxPoolGrad kernel once (per kernel function, so a replaced kernel is asked again):
 * one 1×2 window of values −2, −1 and gradient 1 must route 1 to the −1. The shipped wasm kernel answers 0.
 */
function maxPoolGradLosesNegatives(): boolean {
  const kernel = tf.getKernel('MaxPoolGrad', tf.getBackend());
  if (!kernel) return true;
  const known = negativeWindowProbe.get(kernel.kernelFunc);
  if (known !== undefined) return known;
  const dx = tf.tidy(() => {
    const input = tf.tensor4d([-2, -1], [1, 1, 2, 1]);
    const output = tf.tensor4d([-1], [1, 1, 1, 1]);
    const dy = tf.tensor4d([1], [1, 1, 1, 1]);
    const attrs = { filterSize: [1, 2], strides: [1, 2], pad: 'valid' } as unknown as tf.NamedAttrMap;
    return (tf.engine().runKernel('MaxPoolGrad', { dy, input, output }, attrs) as tf.Tensor).dataSync();
  });
  const loses = !(dx[0] === 0 && dx[1] === 1);
  negativeWindowProbe.set(kernel.kernelFunc, loses);
  return loses;
}
