import { MODEL_METADATA_VERSION, readModelMetadata, RunFormatError, type WeightsDigest } from '@lrpjs/run';

/** Input normalisation `x' = x·scale + offset` applied to pixels in [0, 1] before the model. */
export interface Normalization {
  scale: number;
  offset: number;
}

/** The tutorial's input normalisation: pixels in [0, 1] mapped to [−1.5, 1.5] (`x*3-1.5`). */
export const TUTORIAL_INPUT_NORMALIZATION: Normalization = Object.freeze({ scale: 3, offset: -1.5 });

/**
 * What lrpjs stores beside a model (in model.json's `userDefinedMetadata.lrpjs`), so that a saved model
 * can be used without the code that trained it. JSON-serialisable.
 */
export interface ModelMetadata {
  /** Architecture name, e.g. `'net1'`, `'net2'`, `'vgg16-17+logreg'`. */
  architecture: string;
  /** Class names, index = output unit. */
  classNames: string[];
  /** Input shape without the batch axis, `[height, width, channels]`. */
  inputShape: [number, number, number];
  /** Normalisation the model expects on pixels in [0, 1]. Default: the tutorial's (scale 3, offset −1.5). */
  normalization: Normalization;
  /** How the model was trained (resolved options, JSON-safe), if it was. */
  training?: Record<string, unknown>;
  /** Evaluation results, e.g. `{ trainAccuracy, testAccuracy, seconds }`. */
  metrics?: Record<string, unknown>;
  /** Version of this metadata ({@link MODEL_METADATA_VERSION}); absent in models saved before versions existed. */
  version?: number;
  /** SHA-256 and length of the weight bytes, written when saving to the file system and checked on load. */
  weights?: WeightsDigest;
  /** Free-form extras (dataset description, backend, ...). */
  [key: string]: unknown;
}

/** Key under which lrpjs's metadata is stored in `userDefinedMetadata` (other tools may add their own keys). */
export const METADATA_KEY = 'lrpjs';

/**
 * Validates metadata with the run folder's schema (@lrpjs/run) and fills in defaults. `where` names the file in
 * errors (`runs/x/models/net1/model.json: userDefinedMetadata.lrpjs.normalization.scale: expected number, got "three"`).
 */
export function validateMetadata(meta: unknown, where: string): ModelMetadata {
  const parsed = readModelMetadata(meta, where);
  return {
    ...parsed,
    version: MODEL_METADATA_VERSION,
    normalization: parsed.normalization ?? { ...TUTORIAL_INPUT_NORMALIZATION },
  } as ModelMetadata;
}

/**
 * One class name per output unit: with fewer names the accuracy divided by a NaN count ("0/NaN"), with more
 * some names could never be predicted.
 */
export function checkClassCount(meta: ModelMetadata, outputUnits: number | null | undefined, where: string): void {
  if (outputUnits == null || meta.classNames.length === outputUnits) return;
  throw new RunFormatError(
    where,
    `userDefinedMetadata.${METADATA_KEY}.classNames`,
    `${outputUnits} class names (the model has ${outputUnits} output units)`,
    String(meta.classNames.length),
    'give one class name per output unit',
  );
}
