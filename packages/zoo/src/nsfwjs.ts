import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** The three models nsfwjs ships inside its npm package (as UMD modules with base64 weight shards). */
export const NSFWJS_MODELS = {
  MobileNetV2: { folder: 'mobilenet_v2', size: 224, kind: 'layers' },
  MobileNetV2Mid: { folder: 'mobilenet_v2_mid', size: 224, kind: 'graph' },
  InceptionV3: { folder: 'inception_v3', size: 299, kind: 'layers' },
} as const;
export type NsfwjsModelName = keyof typeof NSFWJS_MODELS;

/** nsfwjs's output classes, in order. */
export const NSFWJS_CLASSES = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'];

const requireHere = createRequire(__filename);

function modelsDir(): string {
  // nsfwjs's "exports" map hides its files: find the package from its main entry (dist/cjs/index.js).
  return path.join(path.dirname(requireHere.resolve('nsfwjs')), '..', 'models');
}

interface ModelJson {
  format?: string;
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/**
 * The model's artifacts read from node_modules (no network): model.min.js evaluates to the model.json
 * object, each shard's .min.js to its bytes in base64.
 */
export function nsfwjsArtifacts(name: NsfwjsModelName): tf.io.ModelArtifacts {
  const dir = path.join(modelsDir(), NSFWJS_MODELS[name].folder);
  const json = requireHere(path.join(dir, 'model.min.js')) as ModelJson;
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Buffer[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths)
      buffers.push(Buffer.from(requireHere(path.join(dir, `${p}.min.js`)) as string, 'base64'));
  }
  const all = Buffer.concat(buffers);
  return {
    modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
    format: json.format,
    weightSpecs: specs,
    weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
  };
}

/** Loads one of nsfwjs's models from node_modules. */
export async function loadNsfwjs(name: NsfwjsModelName): Promise<tf.LayersModel | tf.GraphModel> {
  const handler = tf.io.fromMemory(nsfwjsArtifacts(name));
  return NSFWJS_MODELS[name].kind === 'graph' ? tf.loadGraphModel(handler) : tf.loadLayersModel(handler);
}
