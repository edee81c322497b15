import * as tf from '@tensorflow/tfjs';

/** The backend name our kernels target. */
export const WASM = 'wasm';

/** The backend's own kernels that lrpjs registered over, kept for the cases ours hand back to them. */
const originals = new Map<string, tf.KernelConfig>();

export function rememberOriginalKernel(config: tf.KernelConfig): void {
  originals.set(config.kernelName, config);
}

/** The wasm backend's own kernel that lrpjs's `name` replaced. */
export function originalKernel(name: string): tf.KernelConfig {
  const config = originals.get(name);
  if (config == null) {
    throw new Error(
      `The wasm backend's own '${name}' kernel is not known; import '@tensorflow/tfjs-backend-wasm' before registerWasmKernels().`,
    );
  }
  return config;
}

export function hasOriginalKernel(name: string): boolean {
  return originals.has(name);
}

/** The parts of tfjs-backend-wasm's `BackendWasm` kernels here use (structural: the package is optional). */
export interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/** Attributes passed to a kernel (tfjs's `NamedAttrMap`, loosely typed as tfjs does internally). */
export type Attrs = Record<string, unknown>;

/**
 * Calls another kernel registered for the same backend, without going through the engine: no tape
 * recording, no scope bookkeeping, just the backend's implementation (what tfjs's own kernels do when
 * they import each other). The caller disposes intermediate results with {@link disposeInfo}.
 */
export function callKernel(
  name: string,
  backend: tf.KernelBackend,
  inputs: Record<string, tf.TensorInfo>,
  attrs: Attrs = {},
): tf.TensorInfo {
  const config = tf.getKernel(name, WASM);
  if (config == null) {
    throw new Error(
      `Kernel '${name}' is not registered for backend '${WASM}'; import '@tensorflow/tfjs-backend-wasm' first.`,
    );
  }
  const out = config.kernelFunc({ inputs, backend, attrs } as unknown as Parameters<tf.KernelFunc>[0]);
  if (Array.isArray(out)) throw new Error(`Kernel '${name}' returned several outputs where one was expected.`);
  return out;
}

/** Releases an intermediate result returned by {@link callKernel}. */
export function disposeInfo(backend: tf.KernelBackend, info: tf.TensorInfo): void {
  backend.disposeData(info.dataId);
}

export function transposeInfo(backend: tf.KernelBackend, x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
  return callKernel('Transpose', backend, { x }, { perm });
}

export function reshapeInfo(backend: tf.KernelBackend, x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return callKernel('Reshape', backend, { x }, { shape });
}

/** Explicit padding in the form tfjs's conv ops accept for `pad`. */
export type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

export function explicitPad(top: number, bottom: number, left: number, right: number): ExplicitPadding {
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}

/** Normalises a stride or dilation attribute (number or [h, w]) to a pair. */
export function pair(v: unknown): [number, number] {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2) return [Number(v[0]), Number(v[1])];
  throw new Error(`Expected a number or a pair of numbers, got ${JSON.stringify(v)}.`);
}
