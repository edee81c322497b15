/**
 * @lrpjs/run — the run folder the CLI writes and the web app reads: one schema per JSON file,
 * versions and migrations, errors that name the file and the field. Browser-safe; writing (locks,
 * atomic files) is in `@lrpjs/run/node`.
 */
export { RunFormatError, describeValue } from './errors';
export { parseJsonText, parseWithSchema, MAX_JSON_BYTES } from './parse';
export { migrateMetrics, migrateGallery } from './migrate';
export {
  readRunMetrics,
  readGalleryIndex,
  readModelMetadata,
  readRunLock,
  readModelJson,
  readConceptAtlas,
} from './read';
export {
  conceptAtlasSchema,
  type ConceptAtlas,
  type ConceptAtlasLayer,
  type ConceptReference,
} from './schemas/concepts';
export {
  modelJsonSchema,
  weightEntryBytes,
  WEIGHT_DTYPE_BYTES,
  type ModelJsonManifest,
  type WeightEntry,
} from './schemas/model-json';
export { RUN_FILES, PARTIAL_SUFFIX, TEMP_FILE_PATTERN, tempFileName, modelDir, conceptAtlasFile } from './layout';
export {
  RUN_FORMAT_VERSION,
  runMetricsSchema,
  netMetricsSchema,
  curvePointSchema,
  heatmapRowSchema,
  type RunMetrics,
  type NetMetrics,
  type CurvePoint,
  type HeatmapRow,
} from './schemas/metrics';
export { galleryIndexSchema, type GalleryIndex } from './schemas/gallery';
export {
  MODEL_METADATA_VERSION,
  modelMetadataSchema,
  normalizationSchema,
  weightsDigestSchema,
  type ModelMetadataInput,
  type WeightsDigest,
} from './schemas/model-metadata';
export { runLockSchema, type RunLockInfo } from './schemas/lock';
