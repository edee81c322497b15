/**
 * `lrpjs explain-dataset`: the dataset cut into fixed-size shards, what one shard's job says, and the
 * output folder's manifest (which shards are done, under a fingerprint of the inputs).
 *
 * The coordinator (local threads or a queue producer) is the only writer of `manifest.json`; whoever explains
 * a shard (a thread here, a `lrpjs worker` elsewhere) writes only that shard's files, each atomically, the shard's
 * JSON last. A shard explained twice (a worker killed after writing, its job redone) writes the same bytes again:
 * nothing is duplicated, and the manifest lists each shard once.
 */
import { writeFileAtomic, stringifyJson } from '@lrpjs/run/node';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CliError } from './errors';
import type { CompositeSettings } from './net-names';
import type { VariantChoice } from './shared-options';

/** Where a job's images come from. */
export type ShardSource =
  /** The tutorial's LFW (all people with ≥ 40 faces, tutorial order), by index; `size` is the model's side. */
  | { kind: 'lfw'; dataHome: string; variant: VariantChoice; size: number }
  /** Image files, by absolute path (decoded and cropped as `lrpjs explain --images` does). */
  | { kind: 'files'; size: number };

/** Which class each image is explained for. */
export type TargetSpec = 'true' | 'predicted' | number;

/** Everything a worker needs to explain one shard, and nothing that only the coordinator knows (JSON-safe). */
export interface ShardJob {
  version: 1;
  /** Fingerprint of model, composite, target and image list: a worker checks the model it loads against it. */
  fingerprint: string;
  /** Absolute path of the model.json. */
  model: string;
  /** SHA-256 of model.json and its weights (see {@link modelFingerprint}). */
  modelSha256: string;
  /** Resolved composite (never 'auto'). */
  composite: CompositeSettings;
  target: TargetSpec;
  source: ShardSource;
  shard: number;
  /** Global indices of the shard's images (dataset indices for lfw, positions in the file list for files). */
  indices: number[];
  /** The shard's images, in the order of `indices`: the files to read (files), the dataset's files (lfw: names only). */
  inputs: string[];
  /** Absolute output folder. */
  out: string;
  heatmaps: boolean;
}

export interface ShardImage {
  index: number;
  /** Dataset file or image file. */
  input: string;
  target: number;
  predicted: number;
  targetLogit: number;
  relevanceSum: number;
}

/** `shards/shard-<k>.json`: the shard's record, written after its relevance and heatmaps. */
export interface ShardRecord {
  version: 1;
  fingerprint: string;
  shard: number;
  /** [n, H, W, C] of the shard's relevance. */
  shape: [number, number, number, number];
  relevance: { file: string; sha256: string };
  heatmaps: string[];
  images: ShardImage[];
}

/** What a worker reports back: the shard and the checksum of its record. */
export interface ShardResult {
  shard: number;
  count: number;
  /** SHA-256 of the shard's JSON record (which holds the relevance file's own checksum). */
  sha256: string;
  seconds: number;
}

export interface ManifestInputs {
  model: string;
  modelSha256: string;
  composite: CompositeSettings;
  target: TargetSpec;
  source: ShardSource;
  images: number;
  /** SHA-256 of the image list (dataset files and targets, or file paths and contents). */
  imagesSha256: string;
  shardSize: number;
}

/** `manifest.json` of an explain-dataset output folder. */
export interface Manifest {
  version: 1;
  fingerprint: string;
  inputs: ManifestInputs;
  shardCount: number;
  /** Done shards: index → image count and checksum of the shard record. */
  done: Record<string, { count: number; sha256: string }>;
  complete: boolean;
  updatedAt: string;
}

export const MANIFEST_FILE = 'manifest.json';

export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** SHA-256 over a model.json and its weight files (in the order the manifest lists them). */
export function modelFingerprint(modelJson: string): string {
  const json = fs.readFileSync(modelJson);
  const h = createHash('sha256').update(json);
  const manifest = (JSON.parse(json.toString('utf8')) as { weightsManifest?: { paths: string[] }[] }).weightsManifest;
  for (const group of manifest ?? []) {
    for (const p of group.paths) h.update(fs.readFileSync(path.join(path.dirname(modelJson), p)));
  }
  return h.digest('hex');
}

/** The fingerprint of a run's inputs: equal fingerprints mean equal shards. */
export function inputsFingerprint(inputs: ManifestInputs): string {
  // Paths are not part of it: the same model and images moved elsewhere give the same results.
  const { model: _model, source, ...rest } = inputs;
  const where = source.kind === 'lfw' ? { kind: 'lfw', variant: source.variant, size: source.size } : source;
  return sha256(JSON.stringify({ ...rest, source: where })).slice(0, 16);
}

export const shardName = (shard: number): string => `shard-${String(shard).padStart(5, '0')}`;
export const shardJsonPath = (out: string, shard: number): string =>
  path.join(out, 'shards', `${shardName(shard)}.json`);
export const heatmapName = (index: number): string => `heatmaps/${String(index).padStart(6, '0')}.png`;

/** Indices of every shard: [0..size), [size..2·size), … of `count` images. */
export function shardRanges(count: number, size: number): number[][] {
  const out: number[][] = [];
  for (let a = 0; a < count; a += size) out.push(Array.from({ length: Math.min(size, count - a) }, (_, k) => a + k));
  return out;
}

/** The shard record on disk, if it is there, whole, and its relevance file matches its checksum. */
export function readShardRecord(out: string, shard: number): { record: ShardRecord; sha256: string } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(shardJsonPath(out, shard), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const record = JSON.parse(text) as ShardRecord;
    const npy = fs.readFileSync(path.join(out, record.relevance.file));
    if (sha256(npy) !== record.relevance.sha256) return undefined;
    return { record, sha256: sha256(text) };
  } catch {
    return undefined;
  }
}

/** Writes a shard's record last, so that its presence means the relevance and heatmaps are complete. */
export function writeShardRecord(out: string, record: ShardRecord): string {
  const text = stringifyJson(record);
  writeFileAtomic(shardJsonPath(out, record.shard), text);
  return sha256(text);
}

export function writeManifest(out: string, manifest: Manifest): void {
  writeFileAtomic(path.join(out, MANIFEST_FILE), stringifyJson({ ...manifest, updatedAt: new Date().toISOString() }));
}

/** Which inputs differ between two manifests, in words (for the refusal to resume). */
function differences(a: ManifestInputs, b: ManifestInputs): string[] {
  const diff: string[] = [];
  if (a.modelSha256 !== b.modelSha256) diff.push('the model');
  if (JSON.stringify(a.composite) !== JSON.stringify(b.composite)) diff.push('the composite');
  if (JSON.stringify(a.target) !== JSON.stringify(b.target)) diff.push('the target');
  if (a.imagesSha256 !== b.imagesSha256 || a.images !== b.images) diff.push('the images');
  if (a.shardSize !== b.shardSize) diff.push('the shard size');
  if (a.source.size !== b.source.size || a.source.kind !== b.source.kind) diff.push('the image source');
  return diff.length ? diff : ['the inputs'];
}

/**
 * Opens `out` for a run with these inputs: a new manifest in an empty (or missing) folder, or the existing one
 * when its fingerprint matches (a resume: its shards whose records are intact stay done). A folder of other
 * inputs, or a non-empty folder without a manifest, is refused: nothing in it is touched.
 */
export function openManifest(out: string, inputs: ManifestInputs, shardCount: number): Manifest {
  const fingerprint = inputsFingerprint(inputs);
  const file = path.join(out, MANIFEST_FILE);
  if (fs.existsSync(file)) {
    let old: Manifest;
    try {
      old = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
    } catch (err) {
      throw new CliError(`${file} is damaged (${(err as Error).message})`, 'remove the folder to start afresh');
    }
    if (old.fingerprint !== fingerprint) {
      throw new CliError(
        `${out} holds an explain-dataset run of other inputs (${differences(old.inputs, inputs).join(', ')} changed)`,
        'resume with the same --model, --composite, --target and images, or choose another --out',
      );
    }
    // Keep only shards whose files are still whole (a record removed or damaged since is redone).
    const done: Manifest['done'] = {};
    for (const [k, v] of Object.entries(old.done)) {
      const found = readShardRecord(out, Number(k));
      if (found && found.sha256 === v.sha256) done[k] = v;
    }
    return { ...old, inputs, done, complete: Object.keys(done).length === shardCount };
  }
  if (fs.existsSync(out) && (!fs.statSync(out).isDirectory() || fs.readdirSync(out).length > 0)) {
    throw new CliError(
      `${out} exists and is not an explain-dataset output folder (no ${MANIFEST_FILE})`,
      'choose another --out or remove it',
    );
  }
  const manifest: Manifest = {
    version: 1,
    fingerprint,
    inputs,
    shardCount,
    done: {},
    complete: false,
    updatedAt: '',
  };
  writeManifest(out, manifest);
  return manifest;
}
