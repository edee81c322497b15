/**
 * A pool of worker threads for `lrpjs explain-dataset` and `lrpjs worker`: each thread loads its own model copy
 * and explains whole shards; the pool hands a shard to the first idle thread.
 */
import { Worker } from 'node:worker_threads';
import { CliError } from './errors';
import type { ThreadReply, ThreadRequest } from './explain-thread';
import type { ShardInputs } from './shard-explain';
import type { ShardJob, ShardResult } from './shards';
import type { BackendChoice } from './shared-options';
import { threadEntry } from './thread-entry';

export interface PoolOptions {
  threads: number;
  backend: BackendChoice;
  /**
   * wasm threads inside each worker thread. Several workers get 1 each, so that workers × wasm threads does not
   * oversubscribe the cores; a single worker keeps wasm's default (its own threads, up to 4).
   */
  wasmThreads?: number;
  /**
   * Memory budget of each thread (MB): sets the images per LRP pass, and the V8 heap limit, so that a thread
   * that exceeds it fails its shard instead of swapping the machine.
   */
  budgetMb: number;
}

interface Pending {
  req: ThreadRequest;
  resolve(r: ShardResult): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker;
  busy?: Pending;
}

export class ExplainPool {
  /** Backend of the threads, as the first finished shard reports it (e.g. "wasm (SIMD, 1 thread)"). */
  backend?: string;
  private readonly slots: Slot[] = [];
  private readonly waiting: Pending[] = [];
  private nextId = 0;
  private closed = false;

  constructor(private readonly options: PoolOptions) {
    for (let i = 0; i < options.threads; i++) this.slots.push(this.spawn());
  }

  get size(): number {
    return this.slots.length;
  }

  private spawn(): Slot {
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (this.options.wasmThreads !== undefined) env.LRPJS_WASM_THREADS = String(this.options.wasmThreads);
    const { file, entry } = threadEntry('explain-thread');
    const worker = new Worker(file, {
      env,
      workerData: { backendChoice: this.options.backend, budgetMb: this.options.budgetMb, entry },
      resourceLimits: { maxOldGenerationSizeMb: this.options.budgetMb },
    });
    const slot: Slot = { worker };
    worker.on('message', (reply: ThreadReply) => {
      const job = slot.busy;
      slot.busy = undefined;
      if (job && reply.id === job.req.id) {
        if (reply.ok) {
          this.backend ??= reply.backend;
          job.resolve(reply.result);
        } else job.reject(new CliError(reply.error));
      }
      this.dispatch();
    });
    const died = (why: string) => {
      const job = slot.busy;
      slot.busy = undefined;
      const index = this.slots.indexOf(slot);
      if (this.closed || index < 0) return;
      // A thread that dies (out of memory, a crash in the backend) fails its shard; a fresh thread takes its place.
      this.slots[index] = this.spawn();
      job?.reject(
        new CliError(
          `a worker thread stopped (${why}) while explaining shard ${job.req.job.shard}`,
          /memory/i.test(why) ? 'raise --memory or lower --workers' : undefined,
        ),
      );
      this.dispatch();
    };
    worker.on('error', (err) => died(err.message));
    worker.on('exit', (code) => died(`exit code ${code}`));
    return slot;
  }

  /** Explains a shard on the next idle thread; `inputs` (pixels) are moved to the thread, not copied. */
  run(job: ShardJob, inputs?: ShardInputs): Promise<ShardResult> {
    if (this.closed) return Promise.reject(new Error('the explain pool is closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ req: { id: this.nextId++, job, inputs }, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy) continue;
      const next = this.waiting.shift();
      if (!next) return;
      slot.busy = next;
      const transfer = next.req.inputs ? [next.req.inputs.pixels.buffer as ArrayBuffer] : [];
      slot.worker.postMessage(next.req, transfer);
    }
  }

  /** Stops every thread (a shard being explained is abandoned: its files are either whole or absent). */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.waiting.splice(0)) p.reject(new Error('the explain pool was closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
