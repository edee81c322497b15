import type { LfwDataset, LfwOptions } from './types';

/**
 * The tutorial's `fetch_lfw_people(slice_=(slice(68,197), slice(68,197)), resize=0.5,
 * min_faces_per_person=40, color=True)`: 19 people, 64x64 RGB faces. The variant is left to the caller.
 */
export const TUTORIAL_LFW_OPTIONS: Readonly<LfwOptions> = Object.freeze({
  slice: [
    [68, 197],
    [68, 197],
  ] as [[number, number], [number, number]],
  resize: 0.5,
  minFacesPerPerson: 40,
  color: true,
});

/** The tutorial's input scaling `x * 3 - 1.5`: pixels in [0, 1] become [-1.5, 1.5]. */
export const TUTORIAL_NORMALIZATION = Object.freeze({ scale: 3, offset: -1.5 });

function take(ds: LfwDataset, parity: 0 | 1): LfwDataset {
  const [n, h, w, c] = ds.shape;
  const m = parity === 0 ? Math.ceil(n / 2) : Math.floor(n / 2);
  const size = h * w * c;
  const images = new Float32Array(m * size);
  const targets = new Int32Array(m);
  const filePaths: string[] = [];
  for (let k = 0; k < m; k++) {
    const i = 2 * k + parity;
    images.set(ds.images.subarray(i * size, (i + 1) * size), k * size);
    targets[k] = ds.targets[i];
    filePaths.push(ds.filePaths[i]);
  }
  return { images, shape: [m, h, w, c], targets, targetNames: ds.targetNames, filePaths };
}

/** The tutorial's split: train = images `[::2]`, test = `[1::2]` (copies; `info` is dropped). */
export function splitTutorial(ds: LfwDataset): { train: LfwDataset; test: LfwDataset } {
  return { train: take(ds, 0), test: take(ds, 1) };
}

/**
 * `x * 3 - 1.5` into a new array, rounded as float32 arithmetic does it (the product is rounded before the
 * subtraction, like PyTorch), so inputs match the reference bit for bit.
 */
export function normalizeTutorial(pixels: Float32Array): Float32Array {
  const out = new Float32Array(pixels.length);
  const { scale, offset } = TUTORIAL_NORMALIZATION;
  for (let i = 0; i < pixels.length; i++) out[i] = Math.fround(pixels[i] * scale) + offset;
  return out;
}
