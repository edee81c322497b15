import * as tf from '@tensorflow/tfjs';
import { nodeBuiltin } from '../backend/node-require';

type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');

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

/** Writes a file atomically: a temporary sibling, then a rename (readers never see half a file). */
async function writeAtomic(fs: Fs, file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
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
      await fs.mkdir(dir, { recursive: true });
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
      if (artifacts.userDefinedMetadata != null) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
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
      const dir = path.dirname(jsonFile);
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            const file = path.resolve(dir, p);
            let bytes: Uint8Array;
            try {
              bytes = await fs.readFile(file);
            } catch (e) {
              throw new Error(
                `Weight file ${file} listed in ${jsonFile} cannot be read (${(e as Error).message}); the model directory is incomplete.`,
              );
            }
            buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
          }
        }
        return [specs, tf.io.concatenateArrayBuffers(buffers)];
      });
    },
  };
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
  return target;
}

async function readModelJson(fs: Fs, file: string): Promise<tf.io.ModelJSON> {
  const text = await fs.readFile(file, 'utf8').catch((e: Error) => {
    throw new Error(`Cannot read ${file}: ${e.message}.`);
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not a tfjs model: it is not JSON. Pass the model.json written by saveModel.`);
  }
  checkModelJson(parsed, file);
  return parsed as tf.io.ModelJSON;
}

/** Throws a clear error unless `json` looks like a tfjs layers-model model.json. */
export function checkModelJson(json: unknown, where: string): void {
  const j = json as Partial<tf.io.ModelJSON> | null;
  if (j == null || typeof j !== 'object' || j.modelTopology == null || typeof j.modelTopology !== 'object') {
    throw new Error(
      `${where} is not a tfjs model: it has no modelTopology. Pass the model.json written by saveModel or by tfjs.`,
    );
  }
  if (!Array.isArray(j.weightsManifest)) {
    throw new Error(`${where} is not a complete tfjs model: it has no weightsManifest.`);
  }
}
