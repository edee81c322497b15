import { SimdConvPool } from './conv-pool';

export { SimdConvPool } from './conv-pool';

let pool: SimdConvPool | null = null;
let threads = 1;
let enabled = true;
let tried = false;

export interface SimdConvOptions {
  /** Use lrpjs's SIMD convolutions where they apply. Default `true`; env `LRPJS_SIMD=0` turns them off. */
  enabled?: boolean;
  /** Threads, the caller's included. Default: the wasm backend's thread count. */
  threads?: number;
}

/** Sets up (or turns off) the SIMD convolutions; a changed thread count starts a new pool on first use. */
export function configureSimdConv(options: SimdConvOptions): void {
  if (options.enabled != null) enabled = options.enabled;
  if (options.threads != null && options.threads !== threads) {
    threads = Math.max(1, Math.floor(options.threads));
    if (pool != null) void pool.close();
    pool = null;
    tried = false;
  }
}

function envDisabled(): boolean {
  return typeof process !== 'undefined' && process.env?.LRPJS_SIMD === '0';
}

/** The pool, created on first use; null where the SIMD convolutions are off or cannot run (browsers). */
export function simdConvPool(): SimdConvPool | null {
  if (!enabled || envDisabled()) return null;
  if (!tried) {
    tried = true;
    pool = SimdConvPool.create(threads);
  }
  return pool;
}

/** Whether the SIMD convolutions are in use, with how many threads and whether they fuse multiply-adds. */
export function simdConvInfo(): { threads: number; fma: boolean } | null {
  const p = simdConvPool();
  return p == null ? null : { threads: p.threads, fma: p.fma };
}
