import * as tf from '@tensorflow/tfjs';
import { configureSimdConv, registerWasmKernels, simdConvInfo } from '../kernels';
import { simdConvPool } from '../kernels/simd';
import { isNode, nodeBuiltin, requireFromAnywhere } from './node-require';
import { patchNodeForWasmThreads } from './wasm-node-threads';

/**
 * tfjs backends lrpjs knows how to pick. `tensorflow` is the native one from `@tensorflow/tfjs-node`; `webgpu`
 * needs the app to import `@tensorflow/tfjs-backend-webgpu` (not a dependency of this package: it is browser-only
 * and large).
 */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu' | 'webgl' | 'webgpu';

export interface SelectBackendOptions {
  /**
   * The backend to use, or `'auto'` (default) for the fastest that loads: in Node `tensorflow` (needs
   * `@tensorflow/tfjs-node` and its native binding) → `wasm` → `cpu`; in a browser `webgpu` (when the app
   * imported its backend package) → `webgl` → `wasm` → `cpu`.
   * A named backend that fails to load is an error (no silent fallback).
   */
  backend?: BackendName | 'auto';
  /**
   * Threads for the wasm backend. Default: env `LRPJS_WASM_THREADS` if set, else in Node the number of
   * CPUs (at most 4), using lrpjs's multi-threaded loader (see README); in a browser, tfjs's own choice
   * (needs cross-origin isolation). `1` forces the single-threaded build. Only honoured by the first
   * initialisation of wasm.
   */
  threads?: number;
  /** Where the browser fetches the `.wasm` files (tfjs's `setWasmPaths`). Default: next to the bundle. */
  wasmPaths?: string | Record<string, string>;
  /** Replace wasm kernels that exist but are slow (`Conv2DBackpropInput`, `MaxPoolGrad`) with ours. Default `true`. */
  replaceSlowKernels?: boolean;
  /**
   * wasm under Node.js: run stride-1 convolutions and their filter gradients on lrpjs's SIMD module (own
   * threads, relaxed-SIMD FMA where the engine has it) instead of XNNPACK. Default `true`; env
   * `LRPJS_SIMD=0` turns it off.
   */
  simdConvolutions?: boolean;
}

/** What {@link selectBackend} chose, for logs and run reports. */
export interface BackendInfo {
  name: BackendName;
  tfjsVersion: string;
  /** Version of the backend package (`tfjs-node`, `tfjs-backend-wasm`) when one was loaded. */
  backendVersion?: string;
  /** wasm only: SIMD and thread count actually in use. */
  simd?: boolean;
  threads?: number;
  /** wasm under Node.js: lrpjs's SIMD convolutions, their threads and whether they use FMA; absent when off. */
  simdConv?: { threads: number; fma: boolean };
  /** Kernels lrpjs registered for this backend. */
  customKernels: string[];
  /** Backends tried before this one, with the reason each failed (for `'auto'`). */
  skipped: { name: BackendName; reason: string }[];
}

let current: BackendInfo | null = null;
let pending: Promise<BackendName> | null = null;

/** The last choice made by {@link selectBackend}, or null before the first call. */
export function backendInfo(): BackendInfo | null {
  if (current != null && tf.getBackend() !== current.name) return null; // someone switched behind our back
  return current;
}

/**
 * Picks, initialises and activates a tfjs backend, registering lrpjs's wasm kernels (needed to train on
 * wasm). Idempotent: calling it again with the same request returns the active backend at once.
 * Resolves to the active backend's name; {@link backendInfo} tells the details.
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendName> {
  while (pending != null) await pending.catch(() => undefined);
  const want = options.backend ?? 'auto';
  const info = backendInfo();
  if (info != null && (want === 'auto' || want === info.name)) return info.name;
  pending = doSelect(want, options);
  try {
    return await pending;
  } finally {
    pending = null;
  }
}

async function doSelect(want: BackendName | 'auto', options: SelectBackendOptions): Promise<BackendName> {
  const order: BackendName[] =
    want !== 'auto' ? [want] : isNode() ? ['tensorflow', 'wasm', 'cpu'] : ['webgpu', 'webgl', 'wasm', 'cpu'];
  const skipped: BackendInfo['skipped'] = [];
  for (const name of order) {
    try {
      const details = await activate(name, options);
      current = { name, tfjsVersion: tf.version.tfjs, customKernels: [], skipped, ...details };
      return name;
    } catch (e) {
      const reason = firstLine(e);
      if (want !== 'auto') {
        throw new Error(`Backend '${name}' could not be started: ${reason}. ${hint(name)}`);
      }
      skipped.push({ name, reason });
    }
  }
  throw new Error(`No tfjs backend could be started (${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}).`);
}

async function activate(name: BackendName, options: SelectBackendOptions): Promise<Partial<BackendInfo>> {
  switch (name) {
    case 'tensorflow':
      return activateNative();
    case 'wasm':
      return activateWasm(options);
    case 'webgl':
    case 'webgpu':
      if (isNode()) throw new Error(`${name} needs a browser`);
      await setBackendOrThrow(name);
      return {};
    case 'cpu':
      await setBackendOrThrow('cpu');
      return {};
    default:
      throw new Error(`unknown backend '${String(name)}' (use tensorflow, wasm, cpu, webgl or webgpu)`);
  }
}

async function setBackendOrThrow(name: string): Promise<void> {
  if (tf.findBackendFactory(name) == null) throw new Error(`no '${name}' backend is registered`);
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`initialisation of '${name}' failed`);
  await tf.ready();
}

async function activateNative(): Promise<Partial<BackendInfo>> {
  if (!isNode()) throw new Error('tfjs-node runs only in Node.js');
  let version: string | undefined;
  if (tf.findBackendFactory('tensorflow') == null) {
    // tfjs-node registers the 'tensorflow' backend when loaded; its native binding may be missing
    // (install scripts not allowed, unsupported platform), in which case require() throws.
    const mod = requireFromAnywhere<{ version?: { 'tfjs-node'?: string } }>('@tensorflow/tfjs-node');
    version = mod.version?.['tfjs-node'];
  }
  await setBackendOrThrow('tensorflow');
  return { backendVersion: version };
}

let wasmThreadsUsed: number | undefined;

async function activateWasm(options: SelectBackendOptions): Promise<Partial<BackendInfo>> {
  const wasm = (await import('@tensorflow/tfjs-backend-wasm')) as typeof import('@tensorflow/tfjs-backend-wasm');
  const customKernels = registerWasmKernels({ replaceSlow: options.replaceSlowKernels ?? true });
  if (options.wasmPaths != null) wasm.setWasmPaths(options.wasmPaths as string);

  const alreadyUp = tf.engine().registry['wasm'] != null;
  if (!alreadyUp && isNode()) {
    const os = nodeBuiltin<{ cpus(): unknown[] }>('os');
    const fromEnv = Number(process.env.LRPJS_WASM_THREADS);
    const requested =
      options.threads ?? (Number.isFinite(fromEnv) && fromEnv >= 1 ? fromEnv : Math.min(4, os?.cpus().length ?? 1));
    const threads = Math.max(1, Math.floor(requested));
    // The pthread workers are started with `eval: true`, which this flag forbids.
    const evalForbidden = process.execArgv.includes('--disallow-code-generation-from-strings');
    // Our convolution pool's workers are started with `eval: true` too.
    configureSimdConv({ threads, enabled: !evalForbidden && options.simdConvolutions !== false });
    // With lrpjs's convolutions on their own threads, XNNPACK (what remains: pooling, dense layers,
    // element-wise ops) runs on the calling thread: its pthreadpool spin-waits after every op, and that
    // spinning took a core from our convolutions (LRP on VGG-16: 0.92 → 0.75 s per call without it).
    const xnnThreads = simdConvPool() != null ? 1 : threads;
    if (xnnThreads > 1 && !evalForbidden) {
      const ok = await initWasmThreaded(wasm, xnnThreads);
      if (ok) wasmThreadsUsed = xnnThreads;
    }
  } else if (!alreadyUp && options.threads != null) {
    wasm.setThreadsCount(options.threads);
  }
  if (alreadyUp && options.simdConvolutions != null) configureSimdConv({ enabled: options.simdConvolutions });
  await setBackendOrThrow('wasm');
  // Kernels registered after the backend's first init need no setup, but a backend created before our
  // import would have missed them: register again (no-op when present).
  registerWasmKernels({ replaceSlow: options.replaceSlowKernels ?? true });
  return {
    backendVersion: wasm.version_wasm,
    simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
    // The threads convolutions run on: our pool's where it is in use, else XNNPACK's.
    threads: simdConvInfo()?.threads ?? safeThreads(wasm) ?? wasmThreadsUsed ?? 1,
    ...(simdConvInfo() != null ? { simdConv: simdConvInfo() ?? undefined } : {}),
    customKernels,
  };
}

/** Tries the threaded build in Node; false (and a clean, unregistered backend) when it fails. */
async function initWasmThreaded(
  wasm: typeof import('@tensorflow/tfjs-backend-wasm'),
  threads: number,
): Promise<boolean> {
  let patch: { restore(): void } | null = null;
  const env = tf.env();
  try {
    patch = patchNodeForWasmThreads(threads);
    env.set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    wasm.setThreadsCount(threads);
    const ok = await tf.setBackend('wasm');
    if (!ok) throw new Error('threaded wasm failed to initialise');
    return true;
  } catch {
    env.set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    wasm.setThreadsCount(1);
    return false;
  } finally {
    patch?.restore();
  }
}

function safeThreads(wasm: typeof import('@tensorflow/tfjs-backend-wasm')): number | undefined {
  try {
    return wasm.getThreadsCount();
  } catch {
    return undefined;
  }
}

function firstLine(e: unknown): string {
  const msg =
    e instanceof Error
      ? e.message
      : typeof e === 'object' && e != null && 'message' in e
        ? String((e as { message: unknown }).message)
        : String(e);
  return msg
    .split('\n')[0]
    .trim()
    .replace(/[.\s]+$/, '');
}

function hint(name: BackendName): string {
  switch (name) {
    case 'tensorflow':
      return 'Install it with `pnpm add @tensorflow/tfjs-node` and allow its build script (pnpm: `onlyBuiltDependencies`), or use --backend wasm.';
    case 'wasm':
      return 'Install `@tensorflow/tfjs-backend-wasm`; in a browser, serve its .wasm files and pass `wasmPaths`.';
    case 'webgl':
      return 'WebGL needs a browser with WebGL enabled; use wasm or cpu instead.';
    case 'webgpu':
      return "WebGPU needs a browser with WebGPU (navigator.gpu) and the app's `import '@tensorflow/tfjs-backend-webgpu'`; use webgl or wasm instead.";
    default:
      return '';
  }
}
