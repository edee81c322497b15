// Node only: models as folders (model.json + weights.bin) on the local file system, plus everything the
// browser-safe loadModel/saveModel accept.
import type * as tf from '@tensorflow/tfjs';
import type { ModelMetadata } from '../metadata';
import { fileSystemHandler } from './fs-handler';
import {
  loadModel as loadModelFromUrl,
  loadModelFrom,
  modelJsonLabel,
  saveModel as saveModelTo,
  type LoadedModel,
  type LoadModelOptions,
  type ModelSource,
} from './model-io';

/** A path (or `file://` URL) on this machine, or null for URLs of other schemes and non-strings. */
function localPath(source: unknown): string | null {
  if (typeof source !== 'string') return null;
  if (source.startsWith('file://')) return source.slice('file://'.length);
  return source.includes('://') ? null : source;
}

/**
 * Loads a layers model and its lrpjs metadata from a folder or model.json path (or a `file://` URL), or from
 * anything the browser-safe `loadModel` of `@lrpjs/models` accepts. The caller disposes `model`.
 */
export async function loadModel(source: ModelSource, options: LoadModelOptions = {}): Promise<LoadedModel> {
  const file = localPath(source);
  if (file == null) return loadModelFromUrl(source, options);
  return loadModelFrom(fileSystemHandler(file), modelJsonLabel(file), options);
}

/**
 * Saves `model` with `metadata`: to a folder (model.json + weights.bin, written atomically) when
 * `destination` is a path, else as the browser-safe `saveModel` of `@lrpjs/models`.
 */
export async function saveModel(
  model: tf.LayersModel,
  destination: string | tf.io.IOHandler,
  metadata: ModelMetadata,
): Promise<tf.io.SaveResult> {
  const file = localPath(destination);
  return saveModelTo(model, file == null ? destination : fileSystemHandler(file), metadata);
}
