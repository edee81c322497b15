import fs from 'node:fs';
import path from 'node:path';
import { PARTIAL_SUFFIX, RUN_FILES, TEMP_FILE_PATTERN } from '../layout';
import { inspectLock, processAlive, type LockState } from './lock';

export interface RunListing {
  /** Complete runs (folders with a metrics.json), by name. */
  finished: string[];
  /** `<run>.partial` folders and whose they are. */
  interrupted: { dir: string; lock: LockState }[];
  /** `*.tmp-<pid>-*` files left by atomic writes, and whether their writer still runs. */
  tempFiles: { file: string; pid: number; alive: boolean }[];
}

/** What a folder of runs (e.g. `runs/`) holds. Symbolic links are never followed. */
export function listRuns(parent: string): RunListing {
  const root = path.resolve(parent);
  const listing: RunListing = { finished: [], interrupted: [], tempFiles: [] };
  for (const entry of readDir(root)) {
    const p = path.join(root, entry.name);
    if (entry.isDirectory() && entry.name.endsWith(PARTIAL_SUFFIX)) {
      listing.interrupted.push({ dir: p, lock: inspectLock(p) });
    } else if (entry.isDirectory()) {
      if (fs.existsSync(path.join(p, RUN_FILES.metrics))) listing.finished.push(p);
      collectTemps(p, 3, listing.tempFiles);
    } else if (entry.isFile()) {
      addTemp(p, listing.tempFiles);
    }
  }
  listing.finished.sort();
  return listing;
}

export interface CleanResult {
  removed: string[];
  /** Left alone, with the reason. */
  kept: { path: string; why: string }[];
}

/**
 * Removes interrupted runs whose lock is stale and temp files whose writer is gone. Live runs, runs of
 * other hosts and finished runs are never touched. `dryRun`: report only.
 */
export function cleanRuns(parent: string, options: { dryRun?: boolean } = {}): CleanResult {
  const listing = listRuns(parent);
  const result: CleanResult = { removed: [], kept: [] };
  for (const { dir, lock } of listing.interrupted) {
    if (lock.state !== 'stale') {
      result.kept.push({
        path: dir,
        why: lock.state === 'live' ? 'a run is writing it' : `written from ${lock.info.hostname}`,
      });
      continue;
    }
    if (!options.dryRun) fs.rmSync(dir, { recursive: true, force: true });
    result.removed.push(dir);
  }
  for (const t of listing.tempFiles) {
    if (t.alive) {
      result.kept.push({ path: t.file, why: `process ${t.pid} is writing it` });
      continue;
    }
    if (!options.dryRun) fs.rmSync(t.file, { force: true });
    result.removed.push(t.file);
  }
  return result;
}

function collectTemps(dir: string, depth: number, out: RunListing['tempFiles']): void {
  for (const entry of readDir(dir)) {
    const p = path.join(dir, entry.name);
    if (entry.isFile()) addTemp(p, out);
    else if (entry.isDirectory() && depth > 1) collectTemps(p, depth - 1, out);
  }
}

function addTemp(file: string, out: RunListing['tempFiles']): void {
  const m = TEMP_FILE_PATTERN.exec(path.basename(file));
  if (!m) return;
  const pid = Number(m[1]);
  out.push({ file, pid, alive: pid === process.pid || processAlive(pid) });
}

function readDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
