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
  /** Free-form extras (dataset description, backend, ...). */
  [key: string]: unknown;
}

/** Key under which lrpjs's metadata is stored in `userDefinedMetadata` (other tools may add their own keys). */
export const METADATA_KEY = 'lrpjs';

/** Checks the fields every consumer relies on; returns the metadata with defaults filled in. */
export function validateMetadata(meta: Partial<ModelMetadata>, where: string): ModelMetadata {
  const problems: string[] = [];
  if (typeof meta.architecture !== 'string') problems.push('architecture (string)');
  if (!Array.isArray(meta.classNames) || !meta.classNames.every((c) => typeof c === 'string'))
    problems.push('classNames (string[])');
  if (
    !Array.isArray(meta.inputShape) ||
    meta.inputShape.length !== 3 ||
    !meta.inputShape.every((d) => Number.isInteger(d) && d > 0)
  ) {
    problems.push('inputShape ([height, width, channels])');
  }
  if (problems.length > 0)
    throw new Error(`Model metadata in ${where} is missing or has invalid ${problems.join(', ')}.`);
  return {
    ...meta,
    normalization: meta.normalization ?? { ...TUTORIAL_INPUT_NORMALIZATION },
  } as ModelMetadata;
}
