/**
 * explain-dataset on many machines through BullMQ (Redis): `explain-dataset --queue redis://…` enqueues one job
 * per shard, `lrpjs worker --queue redis://…` processes them with its worker threads.
 *
 * - Job ids are `<fingerprint>-<out>-<shard>` (hashes): enqueueing again (a resumed producer) adds nothing that is there.
 * - A worker that dies mid-shard stops renewing its job's lock; after `--lock-seconds` a live worker's stalled
 *   check puts the job back in the queue and it is redone. Its files are written atomically (the record last), so
 *   the shard is written whole, once or twice with the same content, never half.
 * - The producer and every worker must see the model, the images and `--out` at the same paths (a shared disk):
 *   jobs carry paths, not pixels, and the producer checks each finished shard's files itself.
 */
import type { Job } from 'bullmq';
import { CliError, UsageError } from './errors';
import { ExplainPool } from './explain-pool';
import type { ShardTracker } from './explain-dataset';
import { onInterrupt } from './interrupt';
import { formatSeconds, type Progress } from './progress';
import { readShardRecord, sha256, shardJsonPath, type ShardJob, type ShardResult } from './shards';
import type { BackendChoice } from './shared-options';

/** Default BullMQ queue name. */
export const DEFAULT_QUEUE_NAME = 'lrpjs-explain';

/** Attempts per shard job: a shard that fails this often (not a stalled one) stops the producer. */
const ATTEMPTS = 3;

/** `--queue` must be a Redis URL. */
export function checkQueueUrl(url: string): string {
  if (!/^rediss?:\/\/[^/]/.test(url)) {
    throw new UsageError(
      `--queue '${url}' is not a Redis URL`,
      'pass e.g. redis://127.0.0.1:6379 or redis://host:port/db',
    );
  }
  return url;
}

/** Fails with one line, instead of retrying for ever, when nothing answers at `url`. */
async function checkReachable(url: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined); // reported below
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    throw new CliError(
      `cannot reach Redis at ${url} (${(err as Error).message})`,
      'start redis-server there, or fix the --queue URL',
    );
  } finally {
    client.disconnect();
  }
}

/** BullMQ's connection options: workers need `maxRetriesPerRequest: null` (blocking commands wait, not fail). */
const connectionOf = (url: string) => ({ url, maxRetriesPerRequest: null });

/** `<fingerprint>-<out>-<shard>`: the same inputs written to two folders are two runs, not one. */
export const jobIdOf = (job: ShardJob): string => `${job.fingerprint}-${sha256(job.out).slice(0, 8)}-${job.shard}`;

/**
 * Enqueues the shards of `todo` (idempotently) and waits until workers have explained them all, recording each in
 * the manifest as it completes.
 */
export async function produce(
  url: string,
  name: string,
  todo: ShardJob[],
  tracker: ShardTracker,
  progress: Progress,
): Promise<void> {
  await checkReachable(url);
  const { Queue, QueueEvents } = await import('bullmq');
  const queue = new Queue<ShardJob, ShardResult>(name, { connection: connectionOf(url) });
  const events = new QueueEvents(name, { connection: connectionOf(url) });
  const pending = new Map(todo.map((j) => [jobIdOf(j), j]));
  let settle!: { resolve(): void; reject(e: Error): void };
  const allDone = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  const complete = (id: string) => {
    const job = pending.get(id);
    if (!job) return false;
    const found = readShardRecord(job.out, job.shard);
    if (!found) return false;
    pending.delete(id);
    tracker.done({ shard: job.shard, count: job.indices.length, sha256: found.sha256, seconds: 0 });
    if (!pending.size) settle.resolve();
    return true;
  };
  try {
    events.on('completed', ({ jobId }) => {
      if (pending.has(jobId) && !complete(jobId)) {
        const job = pending.get(jobId)!;
        settle.reject(
          new CliError(
            `a worker finished shard ${job.shard}, but ${shardJsonPath(job.out, job.shard)} is missing or damaged here`,
            'the producer and every worker must see the same --out folder (a shared disk)',
          ),
        );
      }
    });
    events.on('failed', ({ jobId, failedReason }) => {
      if (!pending.has(jobId)) return;
      void queue.getJob(jobId).then((job) => {
        if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
          settle.reject(new CliError(`shard ${job.data.shard} failed ${job.attemptsMade} times: ${failedReason}`));
        }
      });
    });
    await events.waitUntilReady();
    let added = 0;
    for (const job of todo) {
      const id = jobIdOf(job);
      const existing = await queue.getJob(id);
      if (existing) {
        const state = await existing.getState();
        if (state === 'completed' && complete(id)) continue;
        if (state !== 'completed' && state !== 'failed') continue; // waiting or active: a worker has it
        await existing.remove(); // failed before, or done but its files are gone: enqueue it again
      }
      await queue.add('shard', job, { jobId: id, attempts: ATTEMPTS, removeOnComplete: false, removeOnFail: false });
      added++;
    }
    progress.log(
      `queue ${name}: ${added} shard job${added === 1 ? '' : 's'} added, ${todo.length - added} already queued or done; ` +
        'start `lrpjs worker --queue …` processes to explain them',
    );
    if (!pending.size) settle.resolve();
    await allDone;
  } finally {
    await events.close();
    await queue.close();
  }
}

export interface WorkerOptions {
  queue: string;
  queueName: string;
  workers: number;
  memory: number;
  backend: BackendChoice;
  /** A job whose worker stops renewing its lock for this long is taken as stalled and redone. */
  lockSeconds: number;
  /** Replaces the data home named in LFW jobs (where this machine keeps LFW). */
  dataHome?: string;
}

/** `lrpjs worker`: explains shard jobs from the queue with `workers` threads until interrupted. */
export async function runWorker(opts: WorkerOptions, log: (line: string) => void): Promise<void> {
  await checkReachable(opts.queue);
  const { Worker } = await import('bullmq');
  const pool = new ExplainPool({
    threads: opts.workers,
    backend: opts.backend,
    wasmThreads: opts.workers > 1 ? 1 : undefined,
    budgetMb: Math.floor(opts.memory / opts.workers),
  });
  const handle = async (job: Job<ShardJob, ShardResult>): Promise<ShardResult> => {
    const data = job.data;
    if (data.version !== 1) throw new Error(`job ${job.id} has version ${String(data.version)}; this worker reads 1`);
    if (opts.dataHome && data.source.kind === 'lfw') data.source = { ...data.source, dataHome: opts.dataHome };
    // attemptsStarted counts the starts of a job that stalled too (attemptsMade only failures)
    log(`shard ${data.shard}: started (job ${job.id}, start ${job.attemptsStarted})`);
    const r = await pool.run(data);
    log(`shard ${data.shard}: done, ${r.count} images in ${formatSeconds(r.seconds)}`);
    return r;
  };
  const worker = new Worker<ShardJob, ShardResult>(opts.queueName, handle, {
    connection: connectionOf(opts.queue),
    concurrency: opts.workers,
    lockDuration: opts.lockSeconds * 1000,
    stalledInterval: opts.lockSeconds * 1000,
    // a job may stall twice (two workers killed under it) before it counts as failed
    maxStalledCount: 2,
  });
  worker.on('failed', (job, err) => log(`shard ${job?.data.shard ?? '?'}: failed (${err.message})`));
  worker.on('error', (err) => log(`queue error: ${err.message}`));
  worker.on('stalled', (id) => log(`job ${id} stalled (its worker stopped): back in the queue`));
  await worker.waitUntilReady();
  log(
    `worker: ${opts.workers} thread${opts.workers === 1 ? '' : 's'} on queue ${opts.queueName} at ${opts.queue} ` +
      `(lock ${opts.lockSeconds} s); Ctrl-C to stop`,
  );
  onInterrupt(() => 'shards in progress go back to the queue');
  // Runs until interrupted (the interrupt handler exits the process).
  await new Promise<never>(() => undefined);
}
