/**
 * Explains one shard of `lrpjs explain-dataset` and writes its files: the work of one worker thread, whether the
 * shard came from the local coordinator or from the queue. Keeps one model (and one dataset) loaded between shards.
 */
import { encodeNpy, loadImageFiles, type LfwDataset } from '@lrpjs/data';
import { writeFileAtomic } from '@lrpjs/run/node';
import { encodePng, relevanceToRgba } from '@lrpjs/viz';
import type { LoadedModel } from '@lrpjs/models';
import type * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import { CliError } from './errors';
import { explainInputs } from './explain-arrays';
import { Progress } from './progress';
import { loadSavedModel, normalizeFor } from './saved-model';
import {
  heatmapName,
  modelFingerprint,
  sha256,
  shardName,
  writeShardRecord,
  type ShardImage,
  type ShardJob,
  type ShardResult,
} from './shards';

/** Pixels the coordinator already has (local threads): spares each thread a copy of the dataset. */
export interface ShardInputs {
  /** [n, H, W, C] in [0, 1], the shard's images in the order of `job.indices`. */
  pixels: Float32Array;
  /** True class per image (lfw). */
  targets?: Int32Array;
}

/** Memory of a thread before any image: tfjs, the wasm runtime and the CLI's code (measured ≈ 100–150 MB). */
const BASE_MB = 160;

/**
 * Images per LRP pass that fit a thread's memory budget, from the model: its weights (held by JS and by the
 * backend) and, per image, every layer's output three times (the forward activation kept for the backward pass,
 * the relevance, and a temporary of the rule). 0 when not even one image fits.
 */
export function imagesPerPass(model: tf.LayersModel, budgetMb: number, datasetMb = 0): number {
  const weightBytes = model.countParams() * 4;
  let perImage = 0;
  for (const layer of model.layers) {
    const shapes = (Array.isArray(layer.outputShape[0]) ? layer.outputShape : [layer.outputShape]) as (
      number | null
    )[][];
    for (const shape of shapes) perImage += shape.slice(1).reduce<number>((a, d) => a * (d ?? 1), 1) * 4 * 3;
  }
  const free = (budgetMb - BASE_MB - datasetMb) * 2 ** 20 - 2 * weightBytes;
  return Math.max(0, Math.floor(free / perImage));
}

let model: { key: string; loaded: LoadedModel & { file: string } } | undefined;
let dataset: { key: string; data: LfwDataset } | undefined;

async function modelFor(job: ShardJob): Promise<LoadedModel & { file: string }> {
  const key = `${job.model}:${job.modelSha256}`;
  if (model?.key === key) return model.loaded;
  model?.loaded.model.dispose();
  model = undefined;
  // The file a worker sees must be the one the producer fingerprinted (a shared disk may lag, or hold another).
  const actual = modelFingerprint(job.model);
  if (actual !== job.modelSha256) {
    throw new CliError(
      `the model at ${job.model} is not the one this job was made for (SHA-256 ${actual.slice(0, 12)}…, expected ${job.modelSha256.slice(0, 12)}…)`,
      'give every worker the same model files at the same path',
    );
  }
  const loaded = await loadSavedModel(job.model);
  model = { key, loaded };
  return loaded;
}

async function lfwFor(job: ShardJob & { source: { kind: 'lfw' } }): Promise<LfwDataset> {
  const { dataHome, variant, size } = job.source;
  const key = `${dataHome}:${variant}:${size}`;
  if (dataset?.key === key) return dataset.data;
  const { loadTutorialDataset } = await import('./dataset');
  const data = await loadTutorialDataset(
    { dataHome, variant, download: false, size },
    new Progress({ mode: 'silent' }),
  );
  dataset = { key, data: data.all };
  return data.all;
}

async function inputsOf(job: ShardJob): Promise<ShardInputs> {
  if (job.source.kind === 'files') {
    const { pixels } = await loadImageFiles(job.inputs, job.source.size).catch((err: Error) => {
      throw new CliError(err.message);
    });
    return { pixels };
  }
  const ds = await lfwFor(job as ShardJob & { source: { kind: 'lfw' } });
  const one = ds.shape[1] * ds.shape[2] * ds.shape[3];
  const pixels = new Float32Array(job.indices.length * one);
  job.indices.forEach((i, k) => pixels.set(ds.images.subarray(i * one, (i + 1) * one), k * one));
  return { pixels, targets: Int32Array.from(job.indices, (i) => ds.targets[i]) };
}

/**
 * Explains the shard (in passes of as many images as the memory budget holds) and writes heatmaps, relevance and, last, its record.
 * `given`: pixels sent by the coordinator; without them the worker reads the images itself.
 */
export async function explainShard(job: ShardJob, budgetMb: number, given?: ShardInputs): Promise<ShardResult> {
  const start = performance.now();
  const loaded = await modelFor(job);
  const { pixels, targets } = given ?? (await inputsOf(job));
  const size = job.source.size;
  const n = job.indices.length;
  const one = size * size * 3;
  if (pixels.length !== n * one) {
    throw new CliError(`shard ${job.shard}: ${pixels.length / one} images for ${n} indices`, 'report this as a bug');
  }
  if (job.target === 'true' && !targets) {
    throw new CliError('--target true needs dataset images (their labels)', 'use --target predicted for image files');
  }
  const datasetMb = dataset ? dataset.data.images.byteLength / 2 ** 20 : 0;
  const batch = Math.min(n, imagesPerPass(loaded.model, budgetMb, datasetMb));
  if (batch < 1) {
    throw new CliError(
      `${budgetMb} MB per worker do not hold ${path.basename(path.dirname(job.model))} and one image`,
      'raise --memory or lower --workers',
    );
  }
  const relevance = new Float32Array(n * one);
  const images: ShardImage[] = [];
  for (let a = 0; a < n; a += batch) {
    const b = Math.min(n, a + batch);
    const target =
      job.target === 'predicted'
        ? ('predicted' as const)
        : job.target === 'true'
          ? Array.from(targets!.subarray(a, b))
          : new Array<number>(b - a).fill(job.target);
    const expl = await explainInputs(
      loaded.model,
      normalizeFor(loaded, pixels.subarray(a * one, b * one)),
      [b - a, size, size, 3],
      target,
      job.composite,
    );
    relevance.set(expl.relevance, a * one);
    const k = expl.numClasses;
    for (let m = 0; m < b - a; m++) {
      const logits = expl.logits.subarray(m * k, (m + 1) * k);
      let predicted = 0;
      for (let c = 1; c < k; c++) if (logits[c] > logits[predicted]) predicted = c;
      let sum = 0;
      for (const r of expl.relevance.subarray(m * one, (m + 1) * one)) sum += r;
      images.push({
        index: job.indices[a + m],
        input: job.inputs[a + m],
        target: expl.targets[m],
        predicted,
        targetLogit: logits[expl.targets[m]],
        relevanceSum: sum,
      });
    }
  }

  const heatmaps: string[] = [];
  if (job.heatmaps) {
    // at the input's size, each with its own symmetric limit (the tutorial's look): one pixel per relevance cell,
    // and 4× fewer pixels to compress than `explain`'s enlarged tiles, which matters at thousands of images
    for (let m = 0; m < n; m++) {
      const file = heatmapName(job.indices[m]);
      writeFileAtomic(
        path.join(job.out, file),
        encodePng(relevanceToRgba(relevance.subarray(m * one, (m + 1) * one), [size, size, 3])),
      );
      heatmaps.push(file);
    }
  }
  const npyFile = `shards/${shardName(job.shard)}.npy`;
  const npy = encodeNpy(relevance, [n, size, size, 3]);
  writeFileAtomic(path.join(job.out, npyFile), npy);
  const sha = writeShardRecord(job.out, {
    version: 1,
    fingerprint: job.fingerprint,
    shard: job.shard,
    shape: [n, size, size, 3],
    relevance: { file: npyFile, sha256: sha256(npy) },
    heatmaps,
    images,
  });
  return { shard: job.shard, count: n, sha256: sha, seconds: (performance.now() - start) / 1000 };
}
