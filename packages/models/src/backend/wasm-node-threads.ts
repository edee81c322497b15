import { nodeBuiltin, nodeRequires, resolveFromAnywhere } from './node-require';

/**
 * Multi-threaded wasm under Node.js.
 *
 * tfjs-backend-wasm 4.x ships a threaded SIMD build (XNNPACK on a pthreadpool) but disables it in Node
 * (tensorflow/tfjs#3830) because its Emscripten glue hands the pthread workers `blob:` URLs, which Node's
 * `worker_threads` cannot load, and sizes the pool as `os.cpus().length / 2` (1 on a 2-core machine).
 * We make it work by, during the backend's initialisation only:
 *  - wrapping `worker_threads.Worker` so a `blob:` worker script becomes the same worker code run with
 *    `eval: true`, and the Blob main script it is sent becomes the path of the package's own
 *    `wasm-out/tfjs-backend-wasm-threaded-simd.js` (identical code);
 *  - never letting a pthread worker keep the process alive (`ref()` is a no-op: the pool's threads
 *    wait forever, and Node ends them at exit);
 *  - reporting `2 × threads` CPUs to the glue so its pool gets `threads` threads.
 * Any failure is reported to the caller, which falls back to the single-threaded build.
 */
export interface WasmThreadsPatch {
  /** Undoes the patches (call once the backend is initialised: the glue has captured the Worker class). */
  restore(): void;
}

interface WorkerCtor {
  new (file: string | URL, options?: Record<string, unknown>): WorkerLike;
}
interface WorkerLike {
  postMessage(message: unknown, transfer?: unknown): void;
  ref(): void;
  unref(): void;
}

export function patchNodeForWasmThreads(threads: number): WasmThreadsPatch {
  const wt = nodeBuiltin<{ Worker: WorkerCtor }>('worker_threads');
  const os = nodeBuiltin<{ cpus(): unknown[] }>('os');
  const path = nodeBuiltin<{ join(...p: string[]): string; dirname(p: string): string }>('path');
  const pkgJson = resolveFromAnywhere('@tensorflow/tfjs-backend-wasm/package.json');
  if (wt == null || os == null || path == null || pkgJson == null) {
    throw new Error('Cannot find worker_threads or @tensorflow/tfjs-backend-wasm for multi-threaded wasm.');
  }
  const outDir = path.join(path.dirname(pkgJson), 'dist', 'wasm-out');
  const altOutDir = path.join(path.dirname(pkgJson), 'wasm-out');
  const fs = nodeBuiltin<{ existsSync(p: string): boolean }>('fs');
  const dir = fs?.existsSync(path.join(outDir, 'tfjs-backend-wasm-threaded-simd.js')) ? outDir : altOutDir;
  const mainScript = path.join(dir, 'tfjs-backend-wasm-threaded-simd.js');
  const workerFile = path.join(dir, 'tfjs-backend-wasm-threaded-simd.worker.js');
  if (!fs?.existsSync(mainScript) || !fs.existsSync(workerFile)) {
    throw new Error(`The threaded wasm build is missing from ${dir}.`);
  }

  // The worker module exports its code as a string (meant for a Blob); newlines are escaped the same way
  // tfjs escapes them before building that Blob.
  const req = nodeRequires()[0];
  const workerCode = (req?.(workerFile) as { wasmWorkerContents?: string } | undefined)?.wasmWorkerContents;
  if (typeof workerCode !== 'string') throw new Error('Cannot read the wasm pthread worker code.');
  const evalCode = workerCode.replace(/\n/g, '\\n');
  const Base = wt.Worker;
  class PthreadWorker extends (Base as unknown as new (
    file: string | URL,
    options?: Record<string, unknown>,
  ) => WorkerLike) {
    private readonly pthread: boolean;
    constructor(file: string | URL, options?: Record<string, unknown>) {
      const pthread = typeof file === 'string' && file.startsWith('blob:');
      super(pthread ? evalCode : file, pthread ? { ...options, eval: true } : options);
      this.pthread = pthread;
      if (pthread) this.unref();
    }
    override ref(): void {
      // Pool threads live for the whole process: they must not keep it from exiting.
      if (!this.pthread) super.ref();
    }
    override postMessage(message: unknown, transfer?: unknown): void {
      const m = message as { cmd?: string; urlOrBlob?: unknown } | null;
      if (this.pthread && m != null && m.cmd === 'load' && typeof m.urlOrBlob !== 'string')
        message = { ...m, urlOrBlob: mainScript };
      super.postMessage(message, transfer);
    }
  }
  wt.Worker = PthreadWorker as unknown as WorkerCtor;

  const cpus = os.cpus;
  os.cpus = () => {
    const real = cpus.call(os);
    return Array.from({ length: 2 * threads }, (_, i) => real[i % Math.max(real.length, 1)]);
  };
  return {
    restore() {
      os.cpus = cpus;
      wt.Worker = Base;
    },
  };
}
