import * as tf from '@tensorflow/tfjs';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input';
import { conv2DConfig, fusedConv2DConfig } from './conv2d';
import { identityConfig } from './identity';
import { hasOriginalKernel, originalKernel, rememberOriginalKernel } from './kernel-utils';
import { maxPoolGradConfig } from './max-pool-grad';
import { sumConfig } from './sum';

/** Kernels we add to the wasm backend (it has none of these). */
const ADDED: tf.KernelConfig[] = [conv2DBackpropFilterConfig];
/** Kernels we register in place of the wasm backend's own, slower ones. */
const REPLACED: tf.KernelConfig[] = [conv2DBackpropInputConfig, maxPoolGradConfig, identityConfig];
/**
 * Kernels we register over the backend's own and hand back to it for the cases ours do not cover
 * (registered whenever the backend's own kernel exists, whatever `replaceSlow` says: they keep its results).
 */
const WRAPPED: tf.KernelConfig[] = [conv2DConfig, fusedConv2DConfig, sumConfig];
const wrappers = new Set<tf.KernelConfig>();

export interface RegisterWasmKernelsOptions {
  /** Also replace wasm kernels that exist but are slow (`Conv2DBackpropInput`, `MaxPoolGrad`, `Identity`). Default `true`. */
  replaceSlow?: boolean;
}

/**
 * Registers lrpjs's wasm kernels (idempotent). Returns the names of the kernels now provided by lrpjs.
 * Safe to call before or after the wasm backend is initialised; the kernels need no setup.
 */
export function registerWasmKernels(options: RegisterWasmKernelsOptions = {}): string[] {
  const { replaceSlow = true } = options;
  const ours: string[] = [];
  for (const config of ADDED) {
    const existing = tf.getKernel(config.kernelName, config.backendName);
    if (existing == null) tf.registerKernel(config);
    if (existing == null || existing === config) ours.push(config.kernelName);
  }
  for (const config of REPLACED) {
    const existing = tf.getKernel(config.kernelName, config.backendName);
    if (replaceSlow) {
      if (existing !== config) {
        if (existing != null) {
          rememberOriginalKernel(existing);
          tf.unregisterKernel(config.kernelName, config.backendName);
        }
        tf.registerKernel(config);
      }
      ours.push(config.kernelName);
    } else if (existing === config) {
      tf.unregisterKernel(config.kernelName, config.backendName);
      if (hasOriginalKernel(config.kernelName)) tf.registerKernel(originalKernel(config.kernelName));
    }
  }
  for (const config of WRAPPED) {
    const existing = tf.getKernel(config.kernelName, config.backendName);
    if (existing == null) continue;
    ours.push(config.kernelName);
    if (wrappers.has(existing)) continue;
    rememberOriginalKernel(existing);
    // The backend's setup (binding its wasm function) must still run: ours hands some calls back to it.
    const wrapper: tf.KernelConfig = { ...config, setupFunc: existing.setupFunc };
    wrappers.add(wrapper);
    tf.unregisterKernel(config.kernelName, config.backendName);
    tf.registerKernel(wrapper);
  }
  return ours;
}

export { conv2DBackpropFilterConfig, conv2DBackpropInputConfig, conv2DConfig, fusedConv2DConfig, maxPoolGradConfig };
export { configureSimdConv, simdConvInfo } from './simd';
export type { SimdConvOptions } from './simd';
