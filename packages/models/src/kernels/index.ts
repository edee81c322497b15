import * as tf from '@tensorflow/tfjs';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input';
import { maxPoolGradConfig } from './max-pool-grad';

/** Kernels we add to the wasm backend (it has none of these). */
const ADDED: tf.KernelConfig[] = [conv2DBackpropFilterConfig];
/** Kernels we register in place of the wasm backend's own, slower ones. */
const REPLACED: tf.KernelConfig[] = [conv2DBackpropInputConfig, maxPoolGradConfig];

const originals = new Map<string, tf.KernelConfig>();

export interface RegisterWasmKernelsOptions {
  /** Also replace wasm kernels that exist but are slow (`Conv2DBackpropInput`, `MaxPoolGrad`). Default `true`. */
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
          originals.set(config.kernelName, existing);
          tf.unregisterKernel(config.kernelName, config.backendName);
        }
        tf.registerKernel(config);
      }
      ours.push(config.kernelName);
    } else if (existing === config) {
      tf.unregisterKernel(config.kernelName, config.backendName);
      const original = originals.get(config.kernelName);
      if (original != null) tf.registerKernel(original);
    }
  }
  return ours;
}

export { conv2DBackpropFilterConfig, conv2DBackpropInputConfig, maxPoolGradConfig };
