import { migrateGallery, migrateMetrics } from './migrate';
import { parseJsonText, parseWithSchema } from './parse';
import { galleryIndexSchema, type GalleryIndex } from './schemas/gallery';
import { runMetricsSchema, type RunMetrics } from './schemas/metrics';
import { modelMetadataSchema, type ModelMetadataInput } from './schemas/model-metadata';
import { runLockSchema, type RunLockInfo } from './schemas/lock';
import { modelJsonSchema, type ModelJsonManifest } from './schemas/model-json';
import { conceptAtlasSchema, type ConceptAtlas } from './schemas/concepts';

/**
 * Reads metrics.json (text or already-parsed JSON): parses, migrates older versions, validates.
 * Throws {@link RunFormatError} naming `file`, the field and what was expected.
 */
export function readRunMetrics(content: string | unknown, file = 'metrics.json'): RunMetrics {
  const json = typeof content === 'string' ? parseJsonText(content, file) : content;
  return parseWithSchema(runMetricsSchema, migrateMetrics(json, file), file, {
    fix: 'rewrite the run with the lrpjs CLI (or restore the file)',
  });
}

/** Reads gallery/gallery.json like {@link readRunMetrics}. */
export function readGalleryIndex(content: string | unknown, file = 'gallery/gallery.json'): GalleryIndex {
  const json = typeof content === 'string' ? parseJsonText(content, file) : content;
  return parseWithSchema(galleryIndexSchema, migrateGallery(json, file), file, {
    fix: 'rewrite the run with the lrpjs CLI',
  });
}

/** Validates lrpjs's metadata from a model.json (`userDefinedMetadata.lrpjs`). */
export function readModelMetadata(value: unknown, file = 'model.json'): ModelMetadataInput {
  return parseWithSchema(modelMetadataSchema, value, file, {
    fieldPrefix: 'userDefinedMetadata.lrpjs',
    fix: 'save the model again with saveModel',
  });
}

export function readRunLock(content: string | unknown, file: string): RunLockInfo {
  const json = typeof content === 'string' ? parseJsonText(content, file) : content;
  return parseWithSchema(runLockSchema, json, file);
}

/** Validates a parsed model.json's manifest and metadata container (not the layer topology: tfjs does that). */
export function readModelJson(value: unknown, file = 'model.json'): ModelJsonManifest {
  return parseWithSchema(modelJsonSchema, value, file, { fix: 'pass a model folder written by lrpjs or tfjs' });
}

/** Reads `concepts/<net>/atlas.json` (the reference atlas of `lrpjs concepts`) like {@link readRunMetrics}. */
export function readConceptAtlas(content: string | unknown, file = 'concepts/atlas.json'): ConceptAtlas {
  const json = typeof content === 'string' ? parseJsonText(content, file) : content;
  return parseWithSchema(conceptAtlasSchema, json, file, {
    fix: 'write the atlas again with `lrpjs concepts --run <run> --net <net>`',
  });
}
