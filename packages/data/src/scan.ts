import * as fs from 'node:fs';
import * as path from 'node:path';

/** The people and files `fetch_lfw_people` keeps, in its scan order (before the shuffle). */
export interface LfwScan {
  /** Absolute file paths: person folders sorted, files sorted within each. */
  filePaths: string[];
  /** Target per file (index into `targetNames`). */
  targets: Int32Array;
  /** Sorted unique person names with `_` replaced by spaces (numpy's `np.unique`). */
  targetNames: string[];
  /** Per kept file: size and mtime, for the cache fingerprint. */
  stats: { size: number; mtimeMs: number }[];
}

// Python's sorted() on str compares code points; for the ASCII names of LFW UTF-16 order is the same.
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * scikit-learn's `_fetch_lfw_people` scan: every sub-folder of `folder` is a person; every entry in it
 * counts as a picture (as `listdir` does, so a stray file surfaces as a decode error naming it, rather than
 * silently changing the counts and the shuffle).
 */
export async function scanLfwFolder(folder: string, minFacesPerPerson: number): Promise<LfwScan> {
  let entries: string[];
  try {
    entries = await fs.promises.readdir(folder);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT'
        ? `LFW image folder ${folder} does not exist; put one folder per person there (<Person_Name>/<Person_Name>_0001.jpg) or let loadLfwPeople download it.`
        : `Cannot read LFW image folder ${folder}: ${(err as Error).message}.`,
    );
  }
  entries.sort(byCodeUnit);

  const people: { name: string; files: string[] }[] = [];
  for (const entry of entries) {
    const personDir = path.join(folder, entry);
    // os.path.isdir follows symlinks, so stat (not lstat).
    const st = await fs.promises.stat(personDir).catch(() => null);
    if (!st?.isDirectory()) continue;
    const files = (await fs.promises.readdir(personDir)).sort(byCodeUnit).map((f) => path.join(personDir, f));
    people.push({ name: entry.replace(/_/g, ' '), files });
  }
  if (people.length === 0) {
    throw new Error(
      `LFW image folder ${folder} contains no person folders; expected ${folder}${path.sep}<Person_Name>${path.sep}<Person_Name>_0001.jpg.`,
    );
  }

  // An empty folder adds no name even with minFacesPerPerson 0: scikit-learn extends its name list once per picture,
  // and np.unique of that list is the classes.
  const kept = people.filter((p) => p.files.length >= minFacesPerPerson && p.files.length > 0);
  const filePaths = kept.flatMap((p) => p.files);
  if (filePaths.length === 0) {
    const most = Math.max(...people.map((p) => p.files.length));
    throw new Error(
      `minFacesPerPerson=${minFacesPerPerson} is too restrictive for ${folder}: no person has that many images (the most is ${most}); lower it.`,
    );
  }
  // Targets index the sorted *display* names, which can order differently from the folder names
  // (' ' sorts before '_' and letters), exactly like np.unique + np.searchsorted.
  const targetNames = [...new Set(kept.map((p) => p.name))].sort(byCodeUnit);
  const index = new Map(targetNames.map((n, i) => [n, i]));
  const targets = new Int32Array(filePaths.length);
  let k = 0;
  for (const p of kept) {
    const t = index.get(p.name)!;
    for (let i = 0; i < p.files.length; i++) targets[k++] = t;
  }

  const stats = await mapLimit(filePaths, 64, async (f) => {
    const st = await fs.promises.stat(f);
    return { size: st.size, mtimeMs: Math.round(st.mtimeMs) };
  });
  return { filePaths, targets, targetNames, stats };
}

/** `Promise.all(items.map(fn))` with at most `limit` calls in flight; results keep input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i], i);
      } catch (err) {
        failed = true; // stop handing out work; the first error wins
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
