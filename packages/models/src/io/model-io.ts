import * as tf from '@tensorflow/tfjs';
import { ChannelAffine } from '../layers/channel-affine';
import { SpatialDropout2D } from '../layers/spatial-dropout2d';
import {
  checkClassCount,
  METADATA_KEY,
  ModelMetadata,
  TUTORIAL_INPUT_NORMALIZATION,
  validateMetadata,
} from '../metadata';
import { RunFormatError } from '@lrpjs/run';

/**
 * Where a model is loaded from: a URL (`https://…`, or relative to the page), browser files, a tfjs URL scheme
 * (`indexeddb://…`) or any tfjs IOHandler. File paths: `loadModel` of `@lrpjs/models/node`.
 */
export type ModelSource = string | File[] | FileList | tf.io.IOHandler;

export interface LoadModelOptions {
  /**
   * Input shape the caller needs, `[height, width, channels]` or a side length for square RGB input.
   * Loading fails with a clear error when the model was built for another size. Default: no check.
   */
  expectInputShape?: number | [number, number, number];
  /** Fail when the model carries no lrpjs metadata (instead of synthesising it). Default `false`. */
  requireMetadata?: boolean;
  /** Passed to tfjs for HTTP loads (headers, credentials, fetch override). */
  requestInit?: RequestInit;
  /** Download progress for HTTP loads, in [0, 1]. */
  onProgress?: (fraction: number) => void;
}

export interface LoadedModel {
  model: tf.LayersModel;
  metadata: ModelMetadata;
}

/**
 * Saves `model` in tfjs's layers-model format with `metadata` in model.json's `userDefinedMetadata`.
 * `destination`: a tfjs URL scheme (`downloads://name`, `indexeddb://name`, ...) or an IOHandler. To write
 * a folder (model.json + weights.bin), use `saveModel` of `@lrpjs/models/node`.
 */
export async function saveModel(
  model: tf.LayersModel,
  destination: string | tf.io.IOHandler,
  metadata: ModelMetadata,
): Promise<tf.io.SaveResult> {
  const meta = validateMetadata(metadata, 'saveModel(metadata)');
  checkClassCount(meta, outputUnits(model), 'saveModel(metadata)');
  const input = model.inputs[0]?.shape;
  if (input != null && input.length === 4 && input.slice(1).some((d, i) => d != null && d !== meta.inputShape[i])) {
    throw new Error(`metadata.inputShape [${meta.inputShape}] does not match the model's input [${input.slice(1)}].`);
  }
  const previous = model.getUserDefinedMetadata() as Record<string, unknown> | undefined;
  model.setUserDefinedMetadata({ ...(previous ?? {}), [METADATA_KEY]: JSON.parse(JSON.stringify(meta)) });
  if (typeof destination === 'string' && (destination.startsWith('file://') || !destination.includes('://'))) {
    throw new Error(
      `saveModel: '${destination}' is a file path; write folders with saveModel from '@lrpjs/models/node'.`,
    );
  }
  return model.save(destination);
}

/**
 * Loads a layers model and its lrpjs metadata. Models without lrpjs metadata (plain tfjs exports) get
 * synthesised metadata (`architecture: 'unknown'`, classes `class_0...`, the tutorial's normalisation)
 * unless `requireMetadata` is set. The caller disposes `model`.
 */
export async function loadModel(source: ModelSource, options: LoadModelOptions = {}): Promise<LoadedModel> {
  const { handler, label } = toHandler(source, options);
  return loadModelFrom(handler, label, options);
}

/** {@link loadModel} from a resolved handler; `label` names the source in errors. */
export async function loadModelFrom(
  handler: tf.io.IOHandler | string,
  label: string,
  options: LoadModelOptions,
): Promise<LoadedModel> {
  ensureCustomLayersRegistered();
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(handler);
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    // ModelFolderError lives in the Node-only folder handler: recognised by name to keep this entry browser-safe.
    if (e instanceof RunFormatError || (e as Error).name === 'ModelFolderError') throw e;
    if (/is not a (complete )?tfjs model|is not a model directory|No model at|cannot be read/.test(msg)) throw e;
    if (/Unknown layer/.test(msg)) {
      throw new Error(
        `${label} uses a layer this build does not know (${msg}). Import @lrpjs/models (which registers SpatialDropout2D and ChannelAffine) before loading.`,
      );
    }
    throw new Error(`Cannot load a tfjs layers model from ${label}: ${msg}`);
  }
  try {
    const metadata = readMetadata(model, label, options.requireMetadata ?? false);
    checkInputShape(model, metadata, label, options.expectInputShape);
    return { model, metadata };
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/**
 * The custom layers register themselves with tfjs when their modules load. Referencing the classes here
 * keeps bundlers (the package is marked side-effect free) from dropping those modules from an app that
 * only imports `loadModel`.
 */
function ensureCustomLayersRegistered(): void {
  const map = tf.serialization.SerializationMap.getMap().classNameMap;
  for (const cls of [
    SpatialDropout2D,
    ChannelAffine,
  ] as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>[]) {
    if (map[cls.className] == null) tf.serialization.registerClass(cls);
  }
}

function toHandler(
  source: ModelSource,
  options: LoadModelOptions,
): { handler: tf.io.IOHandler | string; label: string } {
  const isFileList = typeof FileList !== 'undefined' && source instanceof FileList;
  if (Array.isArray(source) || isFileList) {
    const files = Array.from(source as ArrayLike<File>);
    const json = files.filter((f) => f.name.endsWith('.json'));
    if (json.length !== 1)
      throw new Error(`Pass exactly one model.json among the files (got ${json.length}) plus its weight files.`);
    const rest = files.filter((f) => f !== json[0]);
    return { handler: tf.io.browserFiles([json[0], ...rest]), label: `files ${files.map((f) => f.name).join(', ')}` };
  }
  if (typeof source !== 'string') return { handler: source as tf.io.IOHandler, label: 'the given IOHandler' };
  if (source.startsWith('file://')) {
    throw new Error(`loadModel: '${source}' is a file path; load it with loadModel from '@lrpjs/models/node'.`);
  }
  if (/^https?:\/\//i.test(source) || !source.includes('://')) {
    const url = source.endsWith('.json') ? source : `${source.replace(/\/$/, '')}/model.json`;
    return {
      handler: tf.io.http(url, { requestInit: options.requestInit, onProgress: options.onProgress }),
      label: url,
    };
  }
  return { handler: source, label: source }; // indexeddb://, localstorage://, ...
}

function readMetadata(model: tf.LayersModel, label: string, required: boolean): ModelMetadata {
  const all = model.getUserDefinedMetadata() as Record<string, unknown> | undefined;
  const meta = all?.[METADATA_KEY] as Partial<ModelMetadata> | undefined;
  if (meta != null) {
    const valid = validateMetadata(meta, label);
    checkClassCount(valid, outputUnits(model), label);
    return valid;
  }
  if (required)
    throw new Error(`${label} has no lrpjs metadata (userDefinedMetadata.${METADATA_KEY}); save it with saveModel.`);
  const shape = model.inputs[0].shape.slice(1) as number[];
  const outputs = model.outputs[0].shape[model.outputs[0].shape.length - 1] ?? 0;
  return {
    architecture: 'unknown',
    classNames: Array.from({ length: outputs }, (_, i) => `class_${i}`),
    inputShape: [shape[0], shape[1], shape[2]],
    normalization: { ...TUTORIAL_INPUT_NORMALIZATION },
  };
}

function checkInputShape(
  model: tf.LayersModel,
  metadata: ModelMetadata,
  label: string,
  expect: LoadModelOptions['expectInputShape'],
): void {
  if (expect == null) return;
  const want = typeof expect === 'number' ? [expect, expect, 3] : expect;
  const have = model.inputs[0].shape.slice(1);
  const mismatch = have.length !== want.length || have.some((d, i) => d != null && d !== want[i]);
  if (mismatch) {
    throw new Error(
      `The model in ${label} takes input [${have.map((d) => d ?? '?').join(', ')}] (architecture ${metadata.architecture}), ` +
        `but input [${want.join(', ')}] is expected. Use a model trained for this input size, or prepare images at ` +
        `${have[0]}×${have[1]}.`,
    );
  }
}

/** Errors about a model's JSON name the model.json, not the folder it is in. */
export function modelJsonLabel(source: string): string {
  return source.endsWith('.json') ? source : `${source.replace(/[/\\]+$/, '')}/model.json`;
}

function outputUnits(model: tf.LayersModel): number | null | undefined {
  const shape = model.outputs[0]?.shape;
  return shape?.[shape.length - 1];
}
