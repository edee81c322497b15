import { readModelJson as validateModelJson, weightEntryBytes, weightsDigestSchema, parseWithSchema } from '@lrpjs/run';
import * as tf from '@tensorflow/tfjs';
import { nodeBuiltin } from '../backend/node-require';
import { METADATA_KEY } from '../metadata';

type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');
type Crypto = typeof import('node:crypto');

/** A model.json larger than this is refused unread (VGG-16's topology is ~100 kB; a hostile file could be GBs). */
export const MAX_MODEL_JSON_BYTES = 32 * 1024 * 1024;
/** Deeper nesting than any Keras topology has; deeper JSON would overflow the stack of tfjs's deserializer. */
const MAX_JSON_DEPTH = 100;

/** A model folder that cannot be loaded as it is; the message names the file and what to do. */
export class ModelFolderError extends Error {
  override name = 'ModelFolderError';
}

/** File names of a saved model (the layout tfjs-node's `file://` handler writes). */
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

function node(): { fs: Fs; path: Path } {
  const fs = nodeBuiltin<Fs>('fs/promises');
  const path = nodeBuiltin<Path>('path');
  if (fs == null || path == null) {
    throw new Error(
      'Saving or loading from the file system needs Node.js; in a browser load from a URL or from files.',
    );
  }
  return { fs, path };
}

function sha256(data: Uint8Array): string {
  const crypto = nodeBuiltin<Crypto>('crypto');
  if (crypto == null) throw new Error('Checking weight digests needs Node.js.');
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** Writes a file atomically: a temporary sibling, then a rename (readers never see half a file). */
async function writeAtomic(fs: Fs, file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/**
 * Creates `dir` and missing parents one at a time: `mkdir({ recursive: true })` retries forever where mkdir
 * answers ENOENT (`/proc/x`), this fails at once naming the folder.
 */
async function makeDirs(fs: Fs, path: Path, dir: string): Promise<void> {
  const target = path.resolve(dir);
  const chain: string[] = [];
  for (let p = target; ; p = path.dirname(p)) {
    chain.unshift(p);
    if (path.dirname(p) === p) break;
  }
  for (const p of chain) {
    const stat = await fs.stat(p).catch(() => undefined);
    if (stat?.isDirectory()) continue;
    try {
      await fs.mkdir(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && (await fs.stat(p)).isDirectory()) continue;
      throw new ModelFolderError(`Cannot create ${target} to save the model: ${(e as Error).message}.`);
    }
  }
}

function joinWeightData(data: tf.io.WeightData): Uint8Array {
  return new Uint8Array(tf.io.CompositeArrayBuffer.join(data));
}

/**
 * A tfjs `IOHandler` on Node's file system, for when `@tensorflow/tfjs-node` (which provides `file://`)
 * is not installed. Saves `model.json` + `weights.bin` into `dir` (created if needed; the weights are
 * written first and `model.json` last, each atomically, so a directory with a model.json always holds a
 * complete model). Loads from a directory or a model.json path, reading every weight file the manifest
 * lists.
 */
export function fileSystemHandler(dirOrModelJson: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const { fs, path } = node();
      const dir = dirOrModelJson.endsWith('.json') ? path.dirname(dirOrModelJson) : dirOrModelJson;
      const jsonFile = dirOrModelJson.endsWith('.json') ? dirOrModelJson : path.join(dir, MODEL_JSON);
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new Error('Saving a binary (GraphDef) topology is not supported; save a tf.LayersModel.');
      }
      await makeDirs(fs, path, dir);
      const weights = artifacts.weightData != null ? joinWeightData(artifacts.weightData) : new Uint8Array(0);
      await writeAtomic(fs, path.join(dir, WEIGHTS_BIN), weights);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.trainingConfig != null) modelJson.trainingConfig = artifacts.trainingConfig;
      const lrpjs = artifacts.userDefinedMetadata?.[METADATA_KEY];
      if (lrpjs != null && typeof lrpjs === 'object') {
        // The digest lets a load tell a damaged or replaced weights.bin from a good one.
        const weightsDigest = { sha256: sha256(weights), bytes: weights.byteLength };
        modelJson.userDefinedMetadata = {
          ...artifacts.userDefinedMetadata,
          [METADATA_KEY]: { ...lrpjs, weights: weightsDigest },
        };
      } else if (artifacts.userDefinedMetadata != null) {
        modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
      }
      if (artifacts.modelInitializer != null) modelJson.modelInitializer = artifacts.modelInitializer;
      const text = JSON.stringify(modelJson);
      await writeAtomic(fs, jsonFile, text);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: JSON.stringify(artifacts.modelTopology).length,
          weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
          weightDataBytes: weights.byteLength,
        },
      };
    },

    async load(): Promise<tf.io.ModelArtifacts> {
      const { fs, path } = node();
      const jsonFile = await locateModelJson(fs, path, dirOrModelJson);
      const modelJson = await readModelJson(fs, jsonFile);
      const files = await weightFiles(fs, path, jsonFile, modelJson);
      const buffers: Uint8Array[] = [];
      for (const f of files) buffers.push(await readExactly(fs, f.file, f.bytes, jsonFile));
      const data = concat(buffers);
      checkDigest(
        modelJson,
        data,
        jsonFile,
        files.map((f) => f.file),
      );
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => [
        manifest.flatMap((g) => g.weights),
        data.buffer as ArrayBuffer,
      ]);
    },
  };
}

/**
 * The weight files of a manifest, each resolved inside the model folder (a model folder is untrusted: a path
 * such as `../../etc/shadow`, `/dev/zero` or a symlink out of the folder would make lrpjs read any file as
 * weights), with the byte count the manifest needs from it. Nothing is read yet.
 */
async function weightFiles(
  fs: Fs,
  path: Path,
  jsonFile: string,
  modelJson: tf.io.ModelJSON,
): Promise<{ file: string; bytes: number }[]> {
  const dir = path.dirname(jsonFile);
  const realDir = await fs.realpath(dir);
  const out: { file: string; bytes: number }[] = [];
  for (const group of modelJson.weightsManifest) {
    const need = group.weights.reduce(
      (sum, w) => sum + weightEntryBytes(w as Parameters<typeof weightEntryBytes>[0]),
      0,
    );
    if (!Number.isSafeInteger(need)) {
      throw new ModelFolderError(
        `${jsonFile}: weightsManifest declares weights no file can hold (shapes too large, or string weights); the model.json is damaged or not a layers model.`,
      );
    }
    const sized: { file: string; size: number }[] = [];
    for (const p of group.paths) {
      const file = await containedFile(fs, path, dir, realDir, p, jsonFile);
      sized.push({ file, size: (await fs.stat(file)).size });
    }
    const have = sized.reduce((sum, f) => sum + f.size, 0);
    if (have !== need) {
      const names = sized.map((f) => f.file).join(', ');
      throw new ModelFolderError(
        `Weight file ${names} holds ${have} bytes but ${jsonFile} needs exactly ${need} (${have < need ? 'truncated' : 'extra bytes appended'}); the model folder is damaged: copy or save the model again.`,
      );
    }
    // tfjs shards a group over its paths in order: every file but the last is full-size.
    for (const f of sized) out.push({ file: f.file, bytes: f.size });
  }
  return out;
}

async function containedFile(
  fs: Fs,
  path: Path,
  dir: string,
  realDir: string,
  p: string,
  jsonFile: string,
): Promise<string> {
  const parts = p.split(/[\\/]/);
  if (path.isAbsolute(p) || /^[a-z]+:/i.test(p) || p.startsWith('\\') || parts.includes('..')) {
    throw new ModelFolderError(
      `${jsonFile}: weight path "${p}" leaves the model folder (absolute or with ".."); weight files must sit inside the folder of model.json.`,
    );
  }
  const file = path.resolve(dir, p);
  let real: string;
  try {
    real = await fs.realpath(file);
  } catch (e) {
    throw new ModelFolderError(
      `Weight file ${file} listed in ${jsonFile} cannot be read (${(e as Error).message}); the model directory is incomplete.`,
    );
  }
  if (!real.startsWith(realDir + path.sep)) {
    throw new ModelFolderError(
      `${jsonFile}: weight file ${file} is a link to ${real}, outside the model folder; copy the real file into the folder.`,
    );
  }
  const stat = await fs.stat(real);
  if (!stat.isFile()) {
    throw new ModelFolderError(`${jsonFile}: weight file ${file} is not a regular file; the model folder is damaged.`);
  }
  return real;
}

/** Reads exactly `bytes` bytes; a file that changed size since it was measured is reported, not half-used. */
async function readExactly(fs: Fs, file: string, bytes: number, jsonFile: string): Promise<Uint8Array> {
  const handle = await fs.open(file, 'r');
  try {
    const buf = new Uint8Array(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    const extra = await handle.read(new Uint8Array(1), 0, 1, bytes);
    if (bytesRead !== bytes || extra.bytesRead !== 0) {
      throw new ModelFolderError(
        `Weight file ${file} changed size while ${jsonFile} was loaded (expected ${bytes} bytes); load it again.`,
      );
    }
    return buf;
  } finally {
    await handle.close();
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** Compares the weights with the SHA-256 recorded when they were saved (models saved by lrpjs carry one). */
function checkDigest(modelJson: tf.io.ModelJSON, data: Uint8Array, jsonFile: string, files: string[]): void {
  const recorded = (modelJson.userDefinedMetadata?.[METADATA_KEY] as { weights?: unknown } | undefined)?.weights;
  if (recorded === undefined) return;
  const digest = parseWithSchema(weightsDigestSchema, recorded, jsonFile, {
    fieldPrefix: `userDefinedMetadata.${METADATA_KEY}.weights`,
  });
  const found = sha256(data);
  if (digest.bytes !== data.byteLength || digest.sha256 !== found) {
    throw new ModelFolderError(
      `Weight file ${files.join(', ')} is damaged: its SHA-256 is ${found.slice(0, 16)}…, ${jsonFile} recorded ${digest.sha256.slice(0, 16)}… when it was saved; copy or save the model again.`,
    );
  }
}

async function locateModelJson(fs: Fs, path: Path, target: string): Promise<string> {
  let stat;
  try {
    stat = await fs.stat(target);
  } catch {
    throw new Error(
      `No model at ${target}: the path does not exist. Pass a directory written by saveModel (with ${MODEL_JSON}) or a model.json file.`,
    );
  }
  if (stat.isDirectory()) {
    const candidate = path.join(target, MODEL_JSON);
    try {
      await fs.access(candidate);
    } catch {
      throw new Error(
        `${target} is not a model directory: it has no ${MODEL_JSON}. Pass a directory written by saveModel.`,
      );
    }
    return candidate;
  }
  if (!target.endsWith('.json')) {
    throw new ModelFolderError(
      `${target} is not a model.json (it looks like a weight file); pass the model folder ${path.dirname(target)} or its ${MODEL_JSON}.`,
    );
  }
  return target;
}

async function readModelJson(fs: Fs, file: string): Promise<tf.io.ModelJSON> {
  const size = (await fs.stat(file).catch(() => undefined))?.size ?? 0;
  if (size > MAX_MODEL_JSON_BYTES) {
    throw new ModelFolderError(
      `${file} is ${size} bytes; a model.json holds at most ${MAX_MODEL_JSON_BYTES} (the weights live in separate files): it is not a layers model.`,
    );
  }
  const text = await fs.readFile(file, 'utf8').catch((e: Error) => {
    throw new ModelFolderError(`Cannot read ${file}: ${e.message}.`);
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ModelFolderError(
      `${file} is not a tfjs model: it is not JSON. Pass the model.json written by saveModel.`,
    );
  }
  checkModelJson(parsed, file);
  if (jsonDepth(parsed) > MAX_JSON_DEPTH) {
    throw new ModelFolderError(
      `${file} nests deeper than ${MAX_JSON_DEPTH} levels; no layers model does: it is not a model.json.`,
    );
  }
  validateModelJson(parsed, file);
  return parsed as tf.io.ModelJSON;
}

/** Nesting depth, without recursion (the input may be hostile). */
function jsonDepth(root: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[root, 1]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [v, d] = top;
    if (v == null || typeof v !== 'object') continue;
    if (d > max) max = d;
    if (max > MAX_JSON_DEPTH) return max;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/** Throws a clear error unless `json` looks like a tfjs layers-model model.json. */
export function checkModelJson(json: unknown, where: string): void {
  const j = json as Partial<tf.io.ModelJSON> | null;
  if (j == null || typeof j !== 'object' || j.modelTopology == null || typeof j.modelTopology !== 'object') {
    throw new ModelFolderError(
      `${where} is not a tfjs model: it has no modelTopology. Pass the model.json written by saveModel or by tfjs.`,
    );
  }
  if (!Array.isArray(j.weightsManifest)) {
    throw new ModelFolderError(`${where} is not a complete tfjs model: it has no weightsManifest.`);
  }
}
