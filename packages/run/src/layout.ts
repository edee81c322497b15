/** Where things are in a run folder (paths relative to it, '/'-separated). */
export const RUN_FILES = {
  metrics: 'metrics.json',
  gallery: 'gallery/gallery.json',
  report: 'report.html',
  curves: 'curves.svg',
  /** Inside `<run>.partial` only: the writing process. */
  lock: '.lrpjs-lock.json',
} as const;

/** An unfinished run lives in `<run>.partial` until it is complete, then is renamed to `<run>`. */
export const PARTIAL_SUFFIX = '.partial';

/** `<file>.tmp-<pid>-<random>`: a file being written atomically by process `pid`. */
export const TEMP_FILE_PATTERN = /\.tmp-(\d+)-[0-9a-z]+$/;

export function tempFileName(file: string, pid: number, random: string): string {
  return `${file}.tmp-${pid}-${random}`;
}

/** The concept atlas of a net inside a run (`lrpjs concepts`); its sprites are named relative to its folder. */
export function conceptAtlasFile(net: string): string {
  return `concepts/${net}/atlas.json`;
}

/** The model folder of a net inside a run. */
export function modelDir(net: string): string {
  return `models/${net}`;
}
