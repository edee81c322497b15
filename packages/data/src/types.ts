/** Which LFW image set to read; they differ only in how faces were aligned inside the 250x250 frames. */
export type LfwVariant = 'funneled' | 'deepfunneled' | 'original';

/** A Python-style `slice(start, stop[, step])` over rows or columns of the 250x250 LFW frame. */
export type SliceRange = [start: number, stop: number] | [start: number, stop: number, step: number];

/** Progress of a long stage (download, extract, decode). `total` is 0 when unknown. */
export interface LfwProgress {
  stage: string;
  done: number;
  total: number;
  /** File being downloaded, or other detail for display. */
  detail?: string;
}

/** Options of {@link loadLfwPeople}; defaults are scikit-learn 1.2's `fetch_lfw_people` defaults. */
export interface LfwOptions {
  /** Folder holding `lfw_home/`. Default: env `LRPJS_DATA_HOME`, else `~/.lrpjs`. */
  dataHome?: string;
  /** Default `'funneled'` (as scikit-learn). Folders: `lfw_funneled`, `lfw_deepfunneled`, `lfw` (original). */
  variant?: LfwVariant;
  /** Keep only people with at least this many images. Default 0 (everyone). */
  minFacesPerPerson?: number;
  /** Crop `[rows, cols]` of the 250x250 frame. Default `[[70, 195], [78, 172]]` (scikit-learn's). */
  slice?: [SliceRange, SliceRange];
  /**
   * Default 0.5. A number scales the crop with scikit-learn's arithmetic
   * (`h = int(resize * ((stop - start) // step))`); `{height, width}` resizes the crop to exactly that size;
   * `null` keeps the crop's size (scikit-learn's `resize=None`). Pillow's bicubic filter either way.
   */
  resize?: number | { height: number; width: number } | null;
  /** Keep RGB (`c = 3`); otherwise grey = mean of R, G, B after resizing (`c = 1`). Default false. */
  color?: boolean;
  /** Download scikit-learn's archive when the image folder is missing. Default true. */
  downloadIfMissing?: boolean;
  /** Read/write the decoded-pixel cache. Default true. */
  cache?: boolean;
  /**
   * Cache folder. Default `<dataHome>/lfw_home/.lrpjs-cache`, or a folder under `os.tmpdir()` when the data
   * home is read-only.
   */
  cacheDir?: string;
  /** Files decoded at once (JPEG decoding runs on the libuv thread pool). Default `max(8, 2 * cpus)`. */
  concurrency?: number;
  /**
   * Mirror to download from: files are fetched as `${baseUrl}/${filename}` (the layout of the LFW web site).
   * Default: env `LRPJS_LFW_BASE_URL`, else scikit-learn's figshare URLs.
   */
  baseUrl?: string;
  /** Expected SHA-256 by file name, overriding (or adding to) scikit-learn's published checksums. */
  checksums?: Record<string, string>;
  onProgress?: (p: LfwProgress) => void;
  /** Called once per load with a problem that was worked around (a damaged cache). Default: `process.emitWarning`. */
  onWarning?: (message: string) => void;
}

/** How a dataset was obtained (not part of the data; dropped by transformations). */
export interface LfwLoadInfo {
  /** Image folder that was read. */
  folder: string;
  /**
   * `'hit'`: pixels came from the cache; `'miss'`: decoded (and cached if possible); `'rebuilt'`: the cache file was
   * damaged (checksum or layout), so the images were decoded again and the file replaced; `'off'`: cache disabled.
   */
  cache: 'hit' | 'miss' | 'rebuilt' | 'off';
  /** What was wrong with the damaged cache file(s), when `cache` is `'rebuilt'`. */
  cacheDamage?: string;
  /** Cache file used or written, if any. */
  cacheFile?: string;
  /** Wall-clock seconds of the whole load. */
  seconds: number;
}

/** Faces in scikit-learn's order. */
export interface LfwDataset {
  /** NHWC float32 pixels in [0, 1]. */
  images: Float32Array;
  shape: [n: number, h: number, w: number, c: number];
  /** Index into `targetNames` per image. */
  targets: Int32Array;
  /** Person names (underscores turned into spaces), sorted. */
  targetNames: string[];
  /** Source JPEG per image. */
  filePaths: string[];
  info?: LfwLoadInfo;
}
