/** Saved models given on the command line: a folder holding model.json, or the model.json itself. */
import type { LfwDataset } from '@lrpjs/data';
import type { LoadedModel } from '@lrpjs/models';
import fs from 'node:fs';
import path from 'node:path';
import { CliError } from './errors';

/** The model.json a command-line argument names; fails (one line) when there is none. */
export function modelJsonPath(arg: string): string {
  if (!arg.endsWith('.json') && fs.existsSync(arg) && fs.statSync(arg).isFile()) {
    throw new CliError(
      `${arg} is a file, not a model folder (model.json lists its weight files)`,
      `pass the folder ${path.dirname(arg)} or ${path.join(path.dirname(arg), 'model.json')}`,
    );
  }
  const file = arg.endsWith('.json') ? arg : path.join(arg, 'model.json');
  if (!fs.existsSync(file)) {
    const hint =
      fs.existsSync(arg) && fs.statSync(arg).isDirectory() ? `${arg} has no model.json` : `${arg} does not exist`;
    throw new CliError(
      `no model at ${arg} (${hint})`,
      'pass a model folder such as runs/<timestamp>/models/net1, or its model.json',
    );
  }
  return file;
}

export async function loadSavedModel(arg: string): Promise<LoadedModel & { file: string }> {
  const file = modelJsonPath(arg);
  const { loadModel } = await import('@lrpjs/models/node');
  try {
    const loaded = await loadModel(file);
    return { ...loaded, file };
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

/** Input side of a model (square RGB inputs only, as every lrpjs net). */
export function modelInputSize(loaded: LoadedModel): number {
  const [h, w, c] = loaded.metadata.inputShape;
  if (h !== w || c !== 3) {
    throw new CliError(
      `the model takes ${h}×${w}×${c} inputs`,
      'lrpjs explains square RGB models (the nets of a run: 64×64×3 or 150×150×3)',
    );
  }
  return h;
}

/** Fails unless the model's classes are the dataset's (same people, same order). */
export function checkClasses(loaded: LoadedModel, ds: LfwDataset, file: string): void {
  const model = loaded.metadata.classNames;
  const data = ds.targetNames;
  if (model.length !== data.length || model.some((n, i) => n !== data[i] && !/^class_\d+$/.test(n))) {
    throw new CliError(
      `the model in ${file} knows ${model.length} classes but the data has ${data.length} people` +
        (model.length === data.length ? ' with other names' : ''),
      'load the data the model was trained on (same --variant and --data-home)',
    );
  }
}

/** Pixels in [0, 1] → the model's input (`metadata.normalization`, the tutorial's x*3-1.5 by default). */
export function normalizeFor(loaded: LoadedModel, pixels: Float32Array): Float32Array {
  const { scale, offset } = loaded.metadata.normalization;
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = Math.fround(pixels[i] * scale) + offset;
  return out;
}
