import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LfwVariant } from './types';

/** Image folder name inside `lfw_home/` per variant (scikit-learn's names; deepfunneled by analogy). */
export const LFW_FOLDERS: Record<LfwVariant, string> = {
  funneled: 'lfw_funneled',
  deepfunneled: 'lfw_deepfunneled',
  original: 'lfw',
};

/** `dataHome` option, else env `LRPJS_DATA_HOME`, else `~/.lrpjs`; `~` is expanded. */
export function resolveDataHome(dataHome?: string): string {
  const raw = dataHome ?? process.env.LRPJS_DATA_HOME ?? path.join(os.homedir(), '.lrpjs');
  const expanded = raw === '~' || raw.startsWith('~/') ? path.join(os.homedir(), raw.slice(1)) : raw;
  return path.resolve(expanded);
}

export interface LfwPaths {
  dataHome: string;
  lfwHome: string;
  /** The variant's image folder: `<lfwHome>/<LFW_FOLDERS[variant]>`. */
  folder: string;
}

export function resolveLfwPaths(options: { dataHome?: string; variant?: LfwVariant } = {}): LfwPaths {
  const variant = options.variant ?? 'funneled';
  if (!(variant in LFW_FOLDERS)) {
    throw new Error(`Unknown LFW variant '${variant}'; use one of ${Object.keys(LFW_FOLDERS).join(', ')}.`);
  }
  const dataHome = resolveDataHome(options.dataHome);
  const lfwHome = path.join(dataHome, 'lfw_home');
  return { dataHome, lfwHome, folder: path.join(lfwHome, LFW_FOLDERS[variant]) };
}

/** The layout users must reproduce when they copy LFW by hand (used in error messages). */
export function expectedLayout(paths: LfwPaths): string {
  return `${paths.folder}${path.sep}<Person_Name>${path.sep}<Person_Name>_0001.jpg (250x250 JPEGs, one folder per person)`;
}

/**
 * Whether we may write into `dir`. Besides the OS check, a directory with no write bit at all counts as
 * read-only: root passes access(W_OK) everywhere, and shared read-only data must stay untouched.
 */
export async function isWritableDir(dir: string): Promise<boolean> {
  try {
    const st = await fs.promises.stat(dir);
    if (!st.isDirectory() || (st.mode & 0o222) === 0) return false;
    await fs.promises.access(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Nearest existing ancestor of `p` (itself included). */
export async function existingAncestor(p: string): Promise<string> {
  let cur = path.resolve(p);
  for (;;) {
    try {
      await fs.promises.stat(cur);
      return cur;
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return cur;
      cur = parent;
    }
  }
}

/**
 * Creates `dir` and its missing parents one level at a time. Unlike `mkdir -p` (Node's recursive mkdir), it cannot
 * spin: on a pseudo-filesystem such as /proc, mkdir fails with ENOENT under a parent that exists, and the recursive
 * version retries that forever. Here any failure ends at once with an error that names the folder and the cause.
 */
export async function mkdirSteps(dir: string): Promise<void> {
  const target = path.resolve(dir);
  const missing: string[] = [];
  for (let cur = target; ; cur = path.dirname(cur)) {
    const st = await fs.promises.stat(cur).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return null; // a file higher up is reported below
      throw new Error(`Cannot create folder ${target}: ${cur} cannot be read (${err.code ?? err.message}).`);
    });
    if (st) {
      if (!st.isDirectory()) {
        throw new Error(
          `Cannot create folder ${target}: ${cur} exists and is not a folder (ENOTDIR); choose another path.`,
        );
      }
      break;
    }
    missing.push(cur);
    if (path.dirname(cur) === cur) break;
  }
  for (const step of missing.reverse()) {
    try {
      await fs.promises.mkdir(step);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && (await fs.promises.stat(step)).isDirectory()) continue; // made by someone else meanwhile
      const why =
        code === 'ENOENT' || code === 'EROFS' || code === 'EACCES' || code === 'EPERM'
          ? `${path.dirname(step)} does not accept new folders (${code})`
          : `${(err as Error).message}`;
      throw new Error(`Cannot create folder ${target}: ${why}; choose a folder on a writable disk.`);
    }
  }
}

/** Writes `data` to `file` through a temp file in the same folder + rename, so readers never see a partial file. */
export async function writeFileAtomic(file: string, data: Uint8Array | Uint8Array[]): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  const chunks = Array.isArray(data) ? data : [data];
  try {
    const fh = await fs.promises.open(tmp, 'w');
    try {
      // writeFile loops over short writes, unlike a single write() call.
      for (const c of chunks) await fh.writeFile(c);
    } finally {
      await fh.close();
    }
    await fs.promises.rename(tmp, file);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
}
