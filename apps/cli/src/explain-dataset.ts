/**
 * `lrpjs explain-dataset`: LRP for a whole dataset (the tutorial's LFW, or a folder of images), in shards, with
 * worker threads here or with `lrpjs worker` processes on any number of machines through a Redis queue.
 * Resumable: finished shards are listed in the output folder's manifest and not redone.
 */
import { TEMP_FILE_PATTERN } from '@lrpjs/run';
import { inspectLock, processAlive, stringifyJson } from '@lrpjs/run/node';
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CliError, UsageError } from './errors';
import { ExplainPool } from './explain-pool';
import { resolveTargetClass } from './explain-saved-model';
import { onInterrupt } from './interrupt';
import { checkCompositeParameters, type CompositeSettings } from './net-names';
import { formatSeconds, Progress, type Stage } from './progress';
import { imagesPerPass, type ShardInputs } from './shard-explain';
import {
  modelFingerprint,
  openManifest,
  sha256,
  shardRanges,
  writeManifest,
  type Manifest,
  type ManifestInputs,
  type ShardJob,
  type ShardResult,
  type ShardSource,
} from './shards';
import type { SharedOptions } from './shared-options';

export interface ExplainDatasetOptions extends Pick<SharedOptions, 'backend' | 'dataHome' | 'variant' | 'download'> {
  /** Absolute model folder or model.json. */
  model: string;
  /** Absolute folder of image files; without it, the tutorial's LFW images. */
  images?: string;
  /** Absolute output folder (created, or resumed). */
  out: string;
  composite: CompositeSettings;
  target?: string;
  /** Worker threads. Default: the CPUs. */
  workers: number;
  shardSize: number;
  /** Memory for all worker threads together, MB. */
  memory: number;
  heatmaps: boolean;
  maxImages?: number;
  /** redis://… — enqueue the shards for `lrpjs worker` processes instead of explaining them here. */
  queue?: string;
  queueName: string;
}

/** Default of `--memory`: half the machine's memory (the rest for the system and other work). */
export const defaultMemoryMb = (): number => Math.floor(os.totalmem() / 2 ** 20 / 2);

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif']);

/** Image files under `dir` (recursively), sorted by path so that the order, and the shards, are reproducible. */
export function listImageFiles(dir: string): string[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new CliError(`--images ${dir} is not a folder`, 'pass a folder of image files (searched recursively)');
  }
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (IMAGE_EXTENSIONS.has(path.extname(e.name).toLowerCase())) out.push(p);
    }
  };
  walk(dir);
  if (!out.length) {
    throw new CliError(`--images ${dir} holds no image files`, `add ${[...IMAGE_EXTENSIONS].join(', ')} files`);
  }
  return out;
}

/** What the run will explain: its shard jobs and, for LFW, the pixels the local threads get. */
interface Plan {
  inputs: ManifestInputs;
  jobs: ShardJob[];
  /** Local threads: a shard's pixels and labels (LFW); undefined for files (threads decode them). */
  inputsOf?: (job: ShardJob) => ShardInputs;
  imageCount: number;
  modelName: string;
}

async function plan(opts: ExplainDatasetOptions, progress: Progress): Promise<Plan> {
  const { loadSavedModel, modelInputSize, modelJsonPath, checkClasses } = await import('./saved-model');
  const { resolveComposite } = await import('./explain-arrays');
  const modelFile = modelJsonPath(opts.model);
  const { isGraphModelJson } = await import('./graph-explain');
  if (isGraphModelJson(modelFile)) {
    throw new CliError(
      `${modelFile} is a GraphModel; explain-dataset explains models saved by lrpjs (LayersModels) only`,
      'explain GraphModels with `lrpjs explain --model DIR --images …`',
    );
  }
  const images = opts.images ? listImageFiles(opts.images) : undefined;
  const { initBackend } = await import('./backend');
  // The coordinator only reads the model (classes, size, composite, memory): the threads do the work.
  await initBackend('cpu');
  // tfjs's "install tfjs-node" notice for the cpu backend would read as advice about the workers' backend.
  tf.env().set('PROD', true);
  const loaded = await loadSavedModel(modelFile);
  try {
    const size = modelInputSize(loaded);
    const classNames = loaded.metadata.classNames;
    const target = resolveTargetClass(opts.target ?? (images ? 'predicted' : 'true'), classNames);
    if (target === 'true' && images) {
      throw new UsageError(
        '--target true needs dataset images (their labels)',
        'use --target predicted or a class for image files',
      );
    }
    const budget = Math.floor(opts.memory / (opts.queue ? 1 : opts.workers));
    if (imagesPerPass(loaded.model, budget) < 1) {
      throw new CliError(
        `--memory ${opts.memory} MB leaves ${budget} MB per worker, too little for this model and one image`,
        'raise --memory or lower --workers',
      );
    }
    const composite = resolveComposite(opts.composite, loaded.model);
    let source: ShardSource;
    let names: string[];
    let imagesSha256: string;
    let inputsOf: Plan['inputsOf'];
    if (images) {
      const n = Math.min(images.length, opts.maxImages ?? Infinity);
      names = images.slice(0, n);
      source = { kind: 'files', size };
      // contents and names relative to the folder: the same images elsewhere are the same inputs
      imagesSha256 = sha256(
        names.map((f) => `${path.relative(opts.images!, f)}\0${sha256(fs.readFileSync(f))}`).join('\n'),
      );
    } else {
      const { loadTutorialDataset } = await import('./dataset');
      const data = await loadTutorialDataset(
        { dataHome: opts.dataHome, variant: opts.variant, download: opts.download, size },
        progress,
      );
      checkClasses(loaded, data.all, modelFile);
      const ds = data.all;
      const n = Math.min(ds.shape[0], opts.maxImages ?? Infinity);
      names = ds.filePaths.slice(0, n).map((f) => path.relative(opts.dataHome, f));
      source = { kind: 'lfw', dataHome: opts.dataHome, variant: opts.variant, size };
      imagesSha256 = sha256(JSON.stringify({ names, targets: Array.from(ds.targets.subarray(0, n)) }));
      const one = size * size * 3;
      inputsOf = (job) => ({
        // copies: the buffer is moved to the thread
        pixels: ds.images.slice(job.indices[0] * one, (job.indices.at(-1)! + 1) * one),
        targets: Int32Array.from(job.indices, (i) => ds.targets[i]),
      });
    }
    const modelSha256 = modelFingerprint(modelFile);
    const inputs: ManifestInputs = {
      model: modelFile,
      modelSha256,
      composite,
      target,
      source,
      images: names.length,
      imagesSha256,
      shardSize: opts.shardSize,
    };
    const { inputsFingerprint } = await import('./shards');
    const fingerprint = inputsFingerprint(inputs);
    const jobs = shardRanges(names.length, opts.shardSize).map((indices, shard): ShardJob => ({
      version: 1,
      fingerprint,
      model: modelFile,
      modelSha256,
      composite,
      target,
      source,
      shard,
      indices,
      inputs: indices.map((i) => names[i]),
      out: opts.out,
      heatmaps: opts.heatmaps,
    }));
    return { inputs, jobs, inputsOf, imageCount: names.length, modelName: path.basename(path.dirname(modelFile)) };
  } finally {
    loaded.model.dispose();
  }
}

const LOCK_FILE = '.lrpjs-lock.json';

/** One coordinator per output folder: a second one (here or on a shared disk) is refused. */
function lockOutput(out: string): () => void {
  const file = path.join(out, LOCK_FILE);
  if (fs.existsSync(file)) {
    const lock = inspectLock(out);
    if (lock.state !== 'stale') {
      const who = lock.info ? `process ${lock.info.pid} on ${lock.info.hostname}` : 'another process';
      throw new CliError(`${who} is writing ${out}`, 'wait for it to finish, or stop it first (it resumes later)');
    }
  }
  const info = {
    pid: process.pid,
    hostname: os.hostname(),
    startedAt: new Date().toISOString(),
    command: 'lrpjs explain-dataset',
  };
  fs.writeFileSync(file, stringifyJson(info));
  return () => {
    try {
      const mine = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number };
      if (mine.pid === process.pid || !processAlive(mine.pid)) fs.rmSync(file, { force: true });
    } catch {
      // already gone
    }
  };
}

/**
 * Removes the temporary files (`<file>.tmp-<pid>-<random>`) that an interrupted run left in the shard and heatmap
 * folders, when their writer is gone. Local runs only: a queue worker on another machine has PIDs we cannot see.
 */
function sweepTemps(out: string): void {
  for (const sub of ['shards', 'heatmaps']) {
    const dir = path.join(out, sub);
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir)) {
      const pid = Number(TEMP_FILE_PATTERN.exec(f)?.[1]);
      if (pid && pid !== process.pid && !processAlive(pid)) fs.rmSync(path.join(dir, f), { force: true });
    }
  }
}

/** Records finished shards in the manifest and drives the progress bar (images per second, ETA). */
export class ShardTracker {
  private images = 0;
  private readonly start = performance.now();
  private readonly stage: Stage;

  constructor(
    private readonly out: string,
    readonly manifest: Manifest,
    readonly todoImages: number,
    progress: Progress,
  ) {
    this.stage = progress.stage('explain', todoImages);
  }

  get rate(): number {
    return this.images / ((performance.now() - this.start) / 1000);
  }

  done(result: ShardResult): void {
    if (this.manifest.done[String(result.shard)]) return; // a shard reported twice (a redone queue job)
    this.manifest.done[String(result.shard)] = { count: result.count, sha256: result.sha256 };
    writeManifest(this.out, this.manifest);
    this.images += result.count;
    this.stage.update(this.images, `${this.rate.toFixed(1)} img/s`);
  }

  finish(): number {
    return this.stage.finish(`${this.images} images, ${this.rate.toFixed(1)} img/s`);
  }
}

export async function runExplainDataset(opts: ExplainDatasetOptions): Promise<void> {
  checkCompositeParameters(opts.composite);
  const progress = new Progress();
  const start = performance.now();
  const p = await plan(opts, progress);
  const manifest = openManifest(opts.out, p.inputs, p.jobs.length);
  const unlock = lockOutput(opts.out);
  if (!opts.queue) sweepTemps(opts.out);
  const forget = onInterrupt(() => {
    unlock();
    return `finished shards are kept in ${opts.out}: run the same command again to resume`;
  });
  try {
    const todo = p.jobs.filter((j) => !manifest.done[String(j.shard)]);
    const resumed = p.jobs.length - todo.length;
    if (resumed) progress.log(`resuming: ${resumed} of ${p.jobs.length} shards are done`);
    const tracker = new ShardTracker(
      opts.out,
      manifest,
      todo.reduce((s, j) => s + j.indices.length, 0),
      progress,
    );
    let how: string;
    if (opts.queue) {
      const { produce } = await import('./queue');
      await produce(opts.queue, opts.queueName, todo, tracker, progress);
      how = `queue ${opts.queueName} at ${opts.queue}`;
    } else {
      const pool = new ExplainPool({
        threads: opts.workers,
        backend: opts.backend,
        wasmThreads: opts.workers > 1 ? 1 : undefined,
        budgetMb: Math.floor(opts.memory / opts.workers),
      });
      try {
        await runLocal(pool, todo, p.inputsOf, tracker);
      } finally {
        await pool.close();
      }
      how = `${opts.workers} worker thread${opts.workers === 1 ? '' : 's'}${pool.backend ? `, ${pool.backend} each` : ''}`;
    }
    const seconds = tracker.finish();
    manifest.complete = true;
    writeManifest(opts.out, manifest);
    const out = (line: string) => process.stdout.write(line + '\n');
    const explained = tracker.todoImages;
    out(
      `${p.modelName}, composite ${p.inputs.composite.name}: ${explained} image${explained === 1 ? '' : 's'} explained in ` +
        `${formatSeconds(seconds)} (${(explained / seconds || 0).toFixed(1)} images/s, ${how})` +
        (resumed ? `; ${resumed} shard${resumed === 1 ? '' : 's'} already done` : ''),
    );
    out(
      `${p.imageCount} images in ${p.jobs.length} shards of ${opts.shardSize} → ${opts.out} ` +
        `(manifest.json, shards/*.npy|json${opts.heatmaps ? ', heatmaps/*.png' : ''}); ` +
        `peak memory ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, ${formatSeconds((performance.now() - start) / 1000)} in all`,
    );
  } finally {
    forget();
    unlock();
  }
}

/** Explains the shards on the pool, keeping every thread busy but only two shards' pixels per thread in memory. */
async function runLocal(
  pool: ExplainPool,
  todo: ShardJob[],
  inputsOf: Plan['inputsOf'],
  tracker: ShardTracker,
): Promise<void> {
  const inflight = new Set<Promise<void>>();
  let failure: unknown;
  for (const job of todo) {
    while (inflight.size >= 2 * pool.size) await Promise.race(inflight);
    if (failure) break;
    const task: Promise<void> = pool
      .run(job, inputsOf?.(job))
      .then((r) => tracker.done(r))
      .catch((err: unknown) => {
        failure ??= err;
      })
      .finally(() => inflight.delete(task));
    inflight.add(task);
  }
  await Promise.all(inflight);
  if (failure) throw failure;
}
