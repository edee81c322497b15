import { isNode, nodeBuiltin } from '../../backend/node-require';
import { CONV_WASM_RELAXED, CONV_WASM_SIMD } from './conv-wasm.generated';

/**
 * lrpjs's own convolution module (`simd/assembly`, AssemblyScript compiled to WebAssembly SIMD) and the
 * threads that share its memory.
 *
 * Why a module of our own: tfjs-backend-wasm's XNNPACK build runs the tutorial's narrow convolutions
 * (3–25 input channels, 5×5) at 8–18 GFLOP/s per thread and its filter gradient is not native at all;
 * these register-tiled loops run them at 16–24 GFLOP/s per thread, and with relaxed SIMD each
 * multiply-add is one FMA instruction. Node.js only: the pool blocks the calling thread while its workers
 * finish (`Atomics.wait`), which a browser's main thread may not do.
 *
 * Work is split by output pixels (forward) or images (filter gradient); each thread runs the same
 * exported loop on its range of the shared memory, so results do not depend on the thread count.
 */
export interface ConvForwardArgs {
  /** Byte address of the padded input [N, Hp, Wp, Ci]. */
  xp: number;
  /** Byte address of the packed filter [KH, KW, Ci, CoP]. */
  w: number;
  /** Byte address of the bias [CoP] (zeros for none). */
  bias: number;
  /** Byte address of the output [N, Ho, Wo, Co]. */
  y: number;
  Hp: number;
  Wp: number;
  Ci: number;
  KH: number;
  KW: number;
  Ho: number;
  Wo: number;
  Co: number;
  CoP: number;
  relu: boolean;
  /** Strides (the padded input holds exactly the rows and columns the windows read). */
  sh: number;
  sw: number;
  /** Output pixels N·Ho·Wo. */
  pixels: number;
}

/**
 * Winograd's arguments: the forward ones for an R×R, stride-1 filter, with the batch. `Ci` counts the
 * filter's input channels, `CiP` (a multiple of 4) those of the padded input (zeros past Ci).
 */
export type WinogradArgs = Omit<ConvForwardArgs, 'KH' | 'KW' | 'sh' | 'sw' | 'pixels'> & {
  R: 3 | 5;
  CiP: number;
  N: number;
};

export interface ConvBackpropFilterArgs {
  xp: number;
  dy: number;
  Hp: number;
  Wp: number;
  Ci: number;
  KH: number;
  KW: number;
  Ho: number;
  Wo: number;
  Co: number;
  CoP: number;
  sh: number;
  sw: number;
  N: number;
}

interface SimdExports {
  convForward(...args: number[]): void;
  convBackpropFilter(...args: number[]): void;
  maxPool2x2Grad(...args: number[]): void;
  columnSums(...args: number[]): void;
  winogradFilter(...args: number[]): void;
  winogradConv(...args: number[]): void;
  winogradFilterGrad(...args: number[]): void;
  winogradGradOutput(...args: number[]): void;
}

interface NodeWorker {
  unref(): void;
  terminate(): Promise<number>;
}

const PAGE = 65536;
/** Buffers start here; below it, each thread's 64 bytes of scratch (a tile's row table) from PAGE. */
const BASE = PAGE + 1024;
const MAX_PAGES = 32768;
// Control block: [0] call sequence, [1] workers done, [2] op, [3] failures, [4..32) arguments,
// [32 + 2t, 33 + 2t] thread t's range, [48 + t] thread t's own output buffer, [56 + t] worker t started (1)
// or failed (−1).
const CTRL_INTS = 64;
const MAX_THREADS = 8;
/** How long a new worker may take to instantiate the module before the pool runs without workers. */
const WORKER_START_MS = 10_000;
/** Rows of a tile (MR in simd/gen-tiles.mjs); a thread's range is whole tiles, a gradient buffer has this many spare rows. */
const TILE_ROWS = 3;

enum Op {
  Forward = 1,
  Filter = 2,
  MaxPoolGrad = 3,
  ColumnSums = 4,
  WinogradFilter = 5,
  Winograd = 6,
  WinogradFilterGrad = 7,
  WinogradGradOutput = 8,
}

/**
 * Runs thread `t`'s share of the call described by the control block. The same function runs on the
 * calling thread and, as source text, in every worker, so the two cannot disagree; it must stay
 * self-contained — no outside names, and no inner functions (bundlers wrap those in helpers such as
 * esbuild's `__name`, which the worker does not have); the op numbers are those of {@link Op}.
 */
function runShare(ex: SimdExports, c: Int32Array, t: number): void {
  const p0 = c[32 + 2 * t];
  const p1 = c[33 + 2 * t];
  if (p1 <= p0) return;
  const own = c[48 + t];
  const scratch = 65536 + 64 * t;
  // The call's arguments, as the op's export takes them before its range (see the case comments).
  const args = Array.from(c.subarray(4, 4 + [0, 16, 14, 8, 4, 6, 14, 12, 5][c[2]]));
  switch (c[2]) {
    case 1: // x, w, bias, y, Hp, Wp, Ci, KH, KW, Ho, Wo, Co, CoP, relu, sh, sw
      ex.convForward(...args, p0, p1, scratch);
      break;
    case 2: // x, dy, (own sum), Hp, Wp, Ci, KH, KW, Ho, Wo, Co, CoP, sh, sw
      args[2] = own;
      ex.convBackpropFilter(...args, p0, p1, scratch);
      break;
    case 3: // x, dy, dx, H, W, C, Ho, Wo
      ex.maxPool2x2Grad(...args, p0, p1);
      break;
    case 4: // x, (own sum), C, CP
      args[1] = own;
      ex.columnSums(...args, p0, p1);
      break;
    case 5: // w, u, Ci, CiP, CoP, R
      ex.winogradFilter(...args, p0, p1);
      break;
    case 6: {
      // x, u, bias, y, Hp, Wp, CiP, Ho, Wo, Co, CoP, relu, R, (block); own = v, then m, then CoP zeros
      const planes = 4 * (args[12] + 1) * (args[12] + 1) * args[13]; // bytes per channel of a block's planes
      ex.winogradConv(
        ...args.slice(0, 13),
        p0,
        p1,
        own,
        own + planes * args[6],
        args[13],
        own + planes * (args[6] + args[10]),
        scratch,
      );
      break;
    }
    case 7: {
      // x, dy, Hp, Wp, CiP, Ho, Wo, Co, CoP, R, (block), (own sum bytes); own = sum, then v, then d
      const planes = 4 * (args[9] + 1) * (args[9] + 1); // bytes per float of one tile in every plane
      const v = own + args[11];
      const d = v + planes * args[10] * args[4];
      ex.winogradFilterGrad(...args.slice(0, 10), p0, p1, own, v, d, args[10], scratch);
      break;
    }
    case 8: // acc, dw, CiP, CoP, R
      ex.winogradGradOutput(...args, p0, p1);
      break;
    default:
      throw new Error(`unknown op ${c[2]}`);
  }
}

/** The code each worker runs: instantiate the module on the shared memory, then serve calls forever. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctrl, index } = workerData;
const c = new Int32Array(ctrl);
let ex;
try {
  ex = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error('abort'); } } }).exports;
} catch (e) {
  Atomics.store(c, 56 + index, -1);
  Atomics.notify(c, 56 + index);
  throw e;
}
Atomics.store(c, 56 + index, 1);
Atomics.notify(c, 56 + index);
const runShare = ${runShare.toString()};
let seen = 0;
for (;;) {
  Atomics.wait(c, 0, seen);
  seen = Atomics.load(c, 0);
  try {
    runShare(ex, c, index);
  } catch (e) {
    if (Atomics.add(c, 3, 1) === 0) require('node:fs').writeSync(2, 'lrpjs SIMD worker: ' + (e && e.stack || e) + '\\n');
  }
  Atomics.add(c, 1, 1);
  Atomics.notify(c, 1);
}
`;

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const s = atob(base64);
  const out = new Uint8Array(new ArrayBuffer(s.length));
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Compiles the relaxed-SIMD build where the engine accepts it (Node 20 after enabling its flag), else plain SIMD. */
function compileModule(): { module: WebAssembly.Module; fma: boolean } | null {
  const relaxed = decode(CONV_WASM_RELAXED);
  if (!WebAssembly.validate(relaxed)) {
    // Node 20's V8 has relaxed SIMD behind a flag (on by default from Node 22); the flag only widens
    // what the validator accepts, so setting it here changes nothing else.
    nodeBuiltin<{ setFlagsFromString(flag: string): void }>('v8')?.setFlagsFromString(
      '--experimental-wasm-relaxed-simd',
    );
  }
  if (WebAssembly.validate(relaxed)) return { module: new WebAssembly.Module(relaxed), fma: true };
  const simd = decode(CONV_WASM_SIMD);
  if (WebAssembly.validate(simd)) return { module: new WebAssembly.Module(simd), fma: false };
  return null;
}

export class SimdConvPool {
  readonly threads: number;
  readonly fma: boolean;
  private readonly memory: WebAssembly.Memory;
  private readonly exports: SimdExports;
  private readonly ctrl: Int32Array;
  private readonly workers: NodeWorker[] = [];
  private heap: Float32Array;
  private top = BASE;
  /** Calls per op since the pool started (tests check which path a convolution took). */
  readonly calls: Record<string, number> = {};

  private constructor(module: WebAssembly.Module, fma: boolean, threads: number) {
    this.fma = fma;
    this.threads = threads;
    this.memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared: true });
    const instance = new WebAssembly.Instance(module, {
      env: {
        memory: this.memory,
        abort() {
          throw new Error('lrpjs SIMD convolution aborted');
        },
      },
    });
    this.exports = instance.exports as unknown as SimdExports;
    this.ctrl = new Int32Array(new SharedArrayBuffer(CTRL_INTS * 4));
    this.heap = new Float32Array(this.memory.buffer);
    const wt = nodeBuiltin<{ Worker: new (src: string, opts: Record<string, unknown>) => NodeWorker }>(
      'worker_threads',
    );
    for (let t = 1; t < threads && wt != null; t++) {
      const worker = new wt.Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module, memory: this.memory, ctrl: this.ctrl.buffer, index: t },
      });
      // The workers wait in Atomics.wait forever; they must never keep the process alive.
      worker.unref();
      this.workers.push(worker);
    }
    // A call waits for every worker; one that never started would hang it. Wait for each to report
    // (synchronously, once per pool: tens of ms) and run without those that did not.
    const started: NodeWorker[] = [];
    this.workers.forEach((worker, i) => {
      const cell = 56 + i + 1;
      if (Atomics.load(this.ctrl, cell) === 0) Atomics.wait(this.ctrl, cell, 0, WORKER_START_MS);
      if (Atomics.load(this.ctrl, cell) === 1) started.push(worker);
      else void worker.terminate();
    });
    // Workers keep the index they were started with: renumber by restarting is not worth it, so a
    // failed worker leaves the pool single-threaded.
    if (started.length !== this.workers.length) {
      for (const worker of started) void worker.terminate();
      this.workers.length = 0;
    }
    this.threads = this.workers.length + 1;
  }

  /** A pool with `threads` threads (the caller's included), or null where the module cannot run. */
  static create(threads: number): SimdConvPool | null {
    if (!isNode() || typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return null;
    const compiled = compileModule();
    if (compiled == null) return null;
    return new SimdConvPool(compiled.module, compiled.fma, Math.max(1, Math.min(MAX_THREADS, Math.floor(threads))));
  }

  /** Starts a call's allocations: every buffer of the previous call is free again. */
  reset(): void {
    this.top = BASE;
  }

  /** Reserves `floats` float32s (plus 16 bytes of slack for vector over-reads), 64-byte aligned; returns the byte address. */
  alloc(floats: number): number {
    const at = this.top;
    this.top = Math.ceil((at + floats * 4 + 16) / 64) * 64;
    const need = Math.ceil(this.top / PAGE);
    const have = this.memory.buffer.byteLength / PAGE;
    if (need > have) {
      if (need > MAX_PAGES)
        throw new Error(`lrpjs SIMD convolution: a call needs ${need * 64} KiB, over the 2 GiB limit.`);
      this.memory.grow(need - have);
    }
    return at;
  }

  /** A view of the module's memory (re-taken after growth). */
  f32(): Float32Array {
    if (this.heap.buffer.byteLength !== this.memory.buffer.byteLength) this.heap = new Float32Array(this.memory.buffer);
    return this.heap;
  }

  forward(a: ConvForwardArgs): void {
    const args = [
      a.xp,
      a.w,
      a.bias,
      a.y,
      a.Hp,
      a.Wp,
      a.Ci,
      a.KH,
      a.KW,
      a.Ho,
      a.Wo,
      a.Co,
      a.CoP,
      a.relu ? 1 : 0,
      a.sh,
      a.sw,
    ];
    // Ranges in whole tiles.
    const tiles = Math.ceil(a.pixels / TILE_ROWS);
    this.run(
      Op.Forward,
      args,
      this.split(tiles).map((t) => Math.min(a.pixels, t * TILE_ROWS)),
    );
  }

  /** The filter gradient [KH·KW·Ci, CoP] summed over all images; returns the byte address of the sum. */
  backpropFilter(a: ConvBackpropFilterArgs): number {
    const rows = a.KH * a.KW * a.Ci;
    const args = [a.xp, a.dy, 0, a.Hp, a.Wp, a.Ci, a.KH, a.KW, a.Ho, a.Wo, a.Co, a.CoP, a.sh, a.sw];
    return this.runSummed(Op.Filter, args, this.split(a.N), rows * a.CoP, (rows + TILE_ROWS) * a.CoP);
  }

  /** dx of a 2×2, stride-2 max pooling (see simd/assembly/pool.ts) into dx, for N·Ho output rows. */
  maxPool2x2Grad(a: {
    x: number;
    dy: number;
    dx: number;
    H: number;
    W: number;
    C: number;
    Ho: number;
    Wo: number;
    N: number;
  }): void {
    this.run(Op.MaxPoolGrad, [a.x, a.dy, a.dx, a.H, a.W, a.C, a.Ho, a.Wo], this.split(a.N * a.Ho));
  }

  /**
   * A 3×3 or 5×5 stride-1 convolution by Winograd F(2×2, R×R) (see simd/assembly/winograd.ts): filter
   * transform, then every thread transforms, multiplies and transforms back its own output tiles in blocks.
   */
  winograd(a: WinogradArgs): void {
    const planes = (a.R + 1) * (a.R + 1);
    const u = this.alloc(planes * a.CiP * a.CoP);
    // The GEMMs run over CiP channels: u's rows past Ci must be zeros, like the input's padding channels.
    if (a.CiP > a.Ci) this.f32().fill(0, u / 4, u / 4 + planes * a.CiP * a.CoP);
    this.run(Op.WinogradFilter, [a.w, u, a.Ci, a.CiP, a.CoP, a.R], this.split(a.Ci));
    // Tiles per block: v and m of one block in about 512 KiB, a whole number of tiles.
    const fit = Math.floor(131072 / planes / (a.CiP + a.CoP) / TILE_ROWS) * TILE_ROWS;
    const block = Math.max(TILE_ROWS, Math.min(96, fit));
    const perThread = planes * block * (a.CiP + a.CoP) + a.CoP;
    for (let t = 0; t < this.threads; t++) {
      const at = this.alloc(perThread);
      this.ctrl[48 + t] = at;
      this.f32().fill(0, at / 4 + perThread - a.CoP, at / 4 + perThread);
    }
    const tiles = a.N * Math.ceil(a.Ho / 2) * Math.ceil(a.Wo / 2);
    const args = [a.xp, u, a.bias, a.y, a.Hp, a.Wp, a.CiP, a.Ho, a.Wo, a.Co, a.CoP, a.relu ? 1 : 0, a.R, block];
    this.run(Op.Winograd, args, this.split(tiles));
  }

  /**
   * The filter gradient of a 3×3 or 5×5 stride-1 convolution by Winograd F(2×2, R×R) (see
   * simd/assembly/winograd.ts): every thread sums its output tiles' transformed products into its own
   * buffer, then the sum is transformed back. `xp` is padded like {@link winograd}'s input (CiP channels);
   * returns the byte address of the gradient [R, R, CiP, CoP].
   */
  winogradFilterGrad(a: {
    xp: number;
    dy: number;
    Hp: number;
    Wp: number;
    CiP: number;
    Ho: number;
    Wo: number;
    Co: number;
    CoP: number;
    R: 3 | 5;
    N: number;
  }): number {
    const planes = (a.R + 1) * (a.R + 1);
    const fit = Math.floor(131072 / planes / (a.CiP + a.CoP) / TILE_ROWS) * TILE_ROWS;
    const block = Math.max(TILE_ROWS, Math.min(96, fit));
    // Each thread's buffer: its sum [P, CiP + spare rows, CoP] (zeroed), then its v and d planes.
    const sumFloats = planes * (a.CiP + TILE_ROWS) * a.CoP;
    const tiles = a.N * Math.ceil(a.Ho / 2) * Math.ceil(a.Wo / 2);
    const args = [a.xp, a.dy, a.Hp, a.Wp, a.CiP, a.Ho, a.Wo, a.Co, a.CoP, a.R, block, sumFloats * 4];
    const sum = this.runSummed(
      Op.WinogradFilterGrad,
      args,
      this.split(tiles),
      sumFloats,
      sumFloats + planes * block * (a.CiP + a.CoP),
      sumFloats,
    );
    const dw = this.alloc(a.R * a.R * a.CiP * a.CoP);
    this.run(Op.WinogradGradOutput, [sum, dw, a.CiP, a.CoP, a.R], this.split(a.CiP));
    return dw;
  }

  /** Sums of the rows of x [M, C] (readable 16 bytes past its end); returns the byte address of C floats. */
  columnSums(x: number, M: number, C: number): number {
    const CP = Math.ceil(C / 4) * 4;
    return this.runSummed(Op.ColumnSums, [x, 0, C, CP], this.split(M), CP, CP);
  }

  /** Ends the worker threads (tests; a process may also just exit). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }

  /** Boundaries of `units` split evenly over the threads: thread t gets [b[t], b[t + 1]). */
  private split(units: number): number[] {
    const b: number[] = [];
    for (let t = 0; t <= this.threads; t++) b.push(Math.round((units * t) / this.threads));
    return b;
  }

  /**
   * Runs an op whose threads each sum into their own buffer of `size` floats, the first `zeroed` of them
   * zeroed (default all); returns the address of the total of the first `used` floats.
   */
  private runSummed(op: Op, args: number[], bounds: number[], used: number, size: number, zeroed = size): number {
    const buffers: number[] = [];
    for (let t = 0; t < this.threads; t++) {
      const at = this.alloc(size);
      buffers.push(at);
      this.ctrl[48 + t] = at;
    }
    const heap = this.f32();
    for (const at of buffers) heap.fill(0, at / 4, at / 4 + zeroed);
    this.run(op, args, bounds);
    const sum = heap.subarray(buffers[0] / 4, buffers[0] / 4 + used);
    for (let t = 1; t < this.threads; t++) {
      const part = heap.subarray(buffers[t] / 4, buffers[t] / 4 + used);
      for (let i = 0; i < used; i++) sum[i] += part[i];
    }
    return buffers[0];
  }

  /** Runs one call on every thread, thread t on [bounds[t], bounds[t + 1]), and waits for all of them. */
  private run(op: Op, args: number[], bounds: number[]): void {
    this.calls[Op[op]] = (this.calls[Op[op]] ?? 0) + 1;
    const c = this.ctrl;
    c[2] = op;
    for (let i = 0; i < args.length; i++) c[4 + i] = args[i];
    for (let t = 0; t < this.threads; t++) {
      c[32 + 2 * t] = bounds[t];
      c[33 + 2 * t] = bounds[t + 1];
    }
    const workers = this.workers.length;
    c[1] = 0;
    c[3] = 0;
    if (workers > 0) {
      Atomics.add(c, 0, 1);
      Atomics.notify(c, 0);
    }
    let error: unknown = null;
    try {
      runShare(this.exports, c, 0);
    } catch (e) {
      error = e;
    }
    for (let done = Atomics.load(c, 1); done < workers; done = Atomics.load(c, 1)) Atomics.wait(c, 1, done);
    if (error != null) throw error;
    if (c[3] > 0) throw new Error('lrpjs SIMD convolution: a worker thread failed.');
  }
}
