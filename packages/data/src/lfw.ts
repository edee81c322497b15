import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheDirs, cacheKey, readCache, writeCache } from './cache';
import { LFW_FRAME_SIZE, loadFace, type FaceGeometry } from './decode';
import { ensureLfw } from './download';
import { resolveLfwPaths } from './paths';
import { legacyShuffledIndices } from './random';
import { mapLimit, scanLfwFolder } from './scan';
import type { LfwDataset, LfwLoadInfo, LfwOptions, SliceRange } from './types';

/** scikit-learn's default crop: rows 70:195, cols 78:172. */
export const DEFAULT_SLICE: [SliceRange, SliceRange] = [
  [70, 195],
  [78, 172],
];

/** scikit-learn's shuffle seed (`np.random.RandomState(42)`). */
const SHUFFLE_SEED = 42;

function checkRange(r: SliceRange, axis: string): { start: number; stop: number; step: number } {
  const [start, stop, step = 1] = r;
  const ok =
    [start, stop, step].every(Number.isInteger) &&
    start >= 0 &&
    stop <= LFW_FRAME_SIZE &&
    start < stop &&
    step >= 1 &&
    stop - start >= step;
  if (!ok) {
    throw new Error(
      `slice ${axis} [${r.join(', ')}] is invalid: use integers with 0 <= start < stop <= ${LFW_FRAME_SIZE} (the LFW frame) and step >= 1.`,
    );
  }
  return { start, stop, step };
}

/** Crop and output size with scikit-learn's arithmetic (`_load_imgs`). */
export function faceGeometry(
  slice: [SliceRange, SliceRange] = DEFAULT_SLICE,
  resize: LfwOptions['resize'] = 0.5,
): FaceGeometry {
  if (!Array.isArray(slice) || slice.length !== 2)
    throw new Error('slice must be [rows, cols], e.g. [[70, 195], [78, 172]].');
  const rows = checkRange(slice[0], 'rows');
  const cols = checkRange(slice[1], 'cols');
  let height = Math.floor((rows.stop - rows.start) / rows.step);
  let width = Math.floor((cols.stop - cols.start) / cols.step);
  if (typeof resize === 'number') {
    if (!(resize > 0) || !Number.isFinite(resize)) throw new Error(`resize must be a positive number, got ${resize}.`);
    height = Math.trunc(resize * height);
    width = Math.trunc(resize * width);
    if (height < 1 || width < 1)
      throw new Error(
        `resize=${resize} shrinks the ${rows.stop - rows.start}x${cols.stop - cols.start} crop to nothing; use a larger factor.`,
      );
  } else if (resize !== null && resize !== undefined) {
    const { height: h, width: w } = resize;
    if (!(Number.isInteger(h) && Number.isInteger(w) && h > 0 && w > 0)) {
      throw new Error(`resize {height, width} must be positive integers, got ${JSON.stringify(resize)}.`);
    }
    height = h;
    width = w;
  }
  // Pillow crops the full box; a step only shrinks the output size (PIL crop ignores it), as in scikit-learn.
  return {
    top: rows.start,
    left: cols.start,
    cropHeight: rows.stop - rows.start,
    cropWidth: cols.stop - cols.start,
    height,
    width,
  };
}

/** Pixels `u / 255` as numpy rounds them in float32. */
const U8_TO_UNIT = Float32Array.from({ length: 256 }, (_, u) => u / 255);

function toFloat(rgb: Uint8Array, color: boolean): Float32Array {
  if (color) {
    const out = new Float32Array(rgb.length);
    for (let i = 0; i < rgb.length; i++) out[i] = U8_TO_UNIT[rgb[i]];
    return out;
  }
  // numpy's float32 mean over the last axis: ((r + g) + b) / 3, each step rounded to float32.
  const out = new Float32Array(rgb.length / 3);
  for (let i = 0, j = 0; i < out.length; i++, j += 3) {
    const s = Math.fround(Math.fround(U8_TO_UNIT[rgb[j]] + U8_TO_UNIT[rgb[j + 1]]) + U8_TO_UNIT[rgb[j + 2]]);
    out[i] = s / 3;
  }
  return out;
}

/**
 * Labeled Faces in the Wild, people subset, as scikit-learn 1.2's `fetch_lfw_people` returns it: same
 * people, same targets, same shuffled order, same pixels (Pillow-exact crop + bicubic resize).
 *
 * Downloads scikit-learn's archive when the image folder is missing (see {@link LfwOptions.downloadIfMissing})
 * and caches the decoded faces in the data home (or under the temp folder when that is read-only).
 *
 * @example
 * const ds = await loadLfwPeople({ ...TUTORIAL_LFW_OPTIONS, variant: 'deepfunneled' });
 * ds.shape; // [1867, 64, 64, 3]
 */
export async function loadLfwPeople(options: LfwOptions = {}): Promise<LfwDataset> {
  const t0 = performance.now();
  const variant = options.variant ?? 'funneled';
  const minFaces = options.minFacesPerPerson ?? 0;
  if (!Number.isInteger(minFaces) || minFaces < 0)
    throw new Error(`minFacesPerPerson must be a non-negative integer, got ${minFaces}.`);
  const slice = options.slice ?? DEFAULT_SLICE;
  const geometry = faceGeometry(slice, options.resize === undefined ? 0.5 : options.resize);
  const color = options.color ?? false;
  const paths = resolveLfwPaths({ dataHome: options.dataHome, variant });

  const folder = await ensureLfw({ ...options, variant });
  const scan = await scanLfwFolder(folder, minFaces);
  const n = scan.filePaths.length;
  const order = legacyShuffledIndices(n, SHUFFLE_SEED);
  const { height: h, width: w } = geometry;
  const faceBytes = h * w * 3;

  const useCache = options.cache ?? true;
  const fingerprint = createHash('sha256');
  scan.filePaths.forEach((f, i) =>
    fingerprint.update(`${path.relative(folder, f)}\0${scan.stats[i].size}\0${scan.stats[i].mtimeMs}\n`),
  );
  const key = cacheKey({ variant, minFaces, geometry, files: fingerprint.digest('hex') });
  const dirs = useCache ? await cacheDirs(paths.lfwHome, options.cacheDir) : null;

  let rgb: Uint8Array | null = null;
  let cacheFile: string | undefined;
  let cacheState: LfwLoadInfo['cache'] = useCache ? 'miss' : 'off';
  let cacheDamage: string | undefined;
  if (dirs) {
    const { hit, damaged } = await readCache(dirs.read, key, { n, height: h, width: w, channels: 3 });
    if (hit) {
      rgb = hit.rgb;
      cacheFile = hit.file;
      cacheState = 'hit';
    } else if (damaged.length) {
      // Reported once: the rebuild below overwrites the damaged file, so the next load is a clean hit.
      cacheState = 'rebuilt';
      cacheDamage = damaged.map((d) => `${d.file}: ${d.reason}`).join('; ');
      (options.onWarning ?? defaultWarning)(
        `LFW image cache damaged (${cacheDamage}); decoding the images again and rebuilding it.`,
      );
    }
  }

  if (!rgb) {
    const decoded = new Uint8Array(n * faceBytes);
    // Where each scan-order face lands after the shuffle, so faces are written once, in final order.
    const position = new Int32Array(n);
    for (let k = 0; k < n; k++) position[order[k]] = k;
    const concurrency = options.concurrency ?? Math.max(8, 2 * os.cpus().length);
    let done = 0;
    await mapLimit(scan.filePaths, concurrency, async (file, i) => {
      decoded.set(await loadFace(file, geometry), position[i] * faceBytes);
      done++;
      if (options.onProgress && (done % 64 === 0 || done === n))
        options.onProgress({ stage: 'decode', done, total: n });
    });
    rgb = decoded;
    // Only a complete, error-free decode reaches this point, so a failed load never leaves a cache entry.
    if (dirs?.write) cacheFile = await writeCache(dirs.write, key, { n, height: h, width: w, channels: 3 }, rgb);
  }

  const targets = new Int32Array(n);
  const filePaths = new Array<string>(n);
  for (let k = 0; k < n; k++) {
    targets[k] = scan.targets[order[k]];
    filePaths[k] = scan.filePaths[order[k]];
  }
  return {
    images: toFloat(rgb, color),
    shape: [n, h, w, color ? 3 : 1],
    targets,
    targetNames: scan.targetNames,
    filePaths,
    info: {
      folder,
      cache: cacheState,
      cacheFile,
      ...(cacheDamage ? { cacheDamage } : {}),
      seconds: (performance.now() - t0) / 1000,
    },
  };
}

function defaultWarning(message: string): void {
  process.emitWarning(message, { code: 'LRPJS_CACHE_DAMAGED' });
}
