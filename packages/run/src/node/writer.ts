import fs from 'node:fs';
import path from 'node:path';
import { PARTIAL_SUFFIX, RUN_FILES } from '../layout';
import { stringifyJson, writeFileAtomic } from './atomic';
import { ensureDir } from './dirs';
import { RunFolderError } from './errors';
import { describeOwner, inspectLock, writeLock } from './lock';

export interface RunWriterOptions {
  /** Recorded in the lock, shown to a second run that finds this one (e.g. `lrpjs train --net net1`). */
  command?: string;
  /** Told when a stale `.partial` of an interrupted run is removed. Default: silent. */
  onNotice?: (line: string) => void;
}

/**
 * Fails unless a run can be written to `dir`: no finished run there, no live run writing `<dir>.partial`.
 * Creates nothing, so a command can check its output before validating (and loading) its inputs.
 */
export function checkRunTarget(dir: string): void {
  const finalDir = path.resolve(dir);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(finalDir);
  } catch {
    stat = undefined;
  }
  if (stat && (!stat.isDirectory() || fs.readdirSync(finalDir).length > 0)) {
    throw new RunFolderError('exists', `output folder ${finalDir} already exists`, 'choose another --out or remove it');
  }
  const workDir = finalDir + PARTIAL_SUFFIX;
  if (!fs.existsSync(workDir)) return;
  const lock = inspectLock(workDir);
  if (lock.state === 'live' || lock.state === 'foreign') {
    throw new RunFolderError(
      'busy',
      `another run is writing ${workDir}: ${describeOwner(lock)}`,
      lock.state === 'foreign'
        ? `choose another --out, or remove ${workDir} if that run is gone`
        : 'wait for it to finish or choose another --out',
    );
  }
}

/**
 * Writes a run folder atomically and exclusively: everything goes into `<dir>.partial/`, locked by this
 * process (PID + host), which is renamed to `<dir>` only by {@link RunWriter.commit}. A reader never
 * mistakes an unfinished run for a complete one, and a second writer refuses instead of deleting it.
 */
export class RunWriter {
  readonly finalDir: string;
  readonly workDir: string;
  private state: 'open' | 'committed' | 'discarded' = 'open';

  private constructor(finalDir: string) {
    this.finalDir = finalDir;
    this.workDir = finalDir + PARTIAL_SUFFIX;
  }

  static start(dir: string, options: RunWriterOptions = {}): RunWriter {
    const writer = new RunWriter(path.resolve(dir));
    checkRunTarget(writer.finalDir);
    ensureDir(path.dirname(writer.workDir));
    if (fs.existsSync(writer.workDir)) {
      // checkRunTarget found its lock stale: an interrupted run, nothing in it is usable.
      options.onNotice?.(`removing ${writer.workDir}, left by an interrupted run`);
      fs.rmSync(writer.workDir, { recursive: true, force: true });
    }
    try {
      fs.mkdirSync(writer.workDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new RunFolderError(
          'busy',
          `another run started writing ${writer.workDir} just now`,
          'wait for it to finish or choose another --out',
        );
      }
      throw new RunFolderError(
        'not-writable',
        `cannot create ${writer.workDir}: ${(err as Error).message}`,
        'choose a writable --out',
      );
    }
    writeLock(writer.workDir, options.command);
    return writer;
  }

  /** Absolute path of `rel` inside the folder being written (its parent folder is created). */
  path(rel: string): string {
    if (this.state !== 'open') throw new Error(`run folder ${this.finalDir} is already ${this.state}`);
    const p = path.resolve(this.workDir, rel);
    if (!p.startsWith(this.workDir + path.sep)) throw new Error(`${rel} is not a path inside the run folder`);
    ensureDir(path.dirname(p));
    return p;
  }

  write(rel: string, data: string | Uint8Array): string {
    const p = this.path(rel);
    writeFileAtomic(p, data);
    return p;
  }

  writeJson(rel: string, value: unknown): string {
    return this.write(rel, stringifyJson(value));
  }

  /** Releases the lock and renames `<dir>.partial` to `<dir>`; the run is complete from then on. */
  commit(): string {
    if (this.state === 'committed') return this.finalDir;
    if (this.state === 'discarded') throw new Error(`run folder ${this.finalDir} was discarded`);
    try {
      fs.renameSync(this.workDir, this.finalDir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR') {
        this.state = 'discarded'; // keep the results: the user decides
        fs.rmSync(path.join(this.workDir, RUN_FILES.lock), { force: true });
        throw new RunFolderError(
          'exists',
          `${this.finalDir} appeared while this run was writing (another process wrote it); this run's results are in ${this.workDir}`,
          `rename ${this.workDir} to keep them`,
        );
      }
      throw err;
    }
    fs.rmSync(path.join(this.finalDir, RUN_FILES.lock), { force: true });
    this.state = 'committed';
    return this.finalDir;
  }

  /** Removes the partial folder (after a failure or an interrupt: nothing in it is worth keeping). */
  discard(): void {
    if (this.state !== 'open') return;
    this.state = 'discarded';
    fs.rmSync(this.workDir, { recursive: true, force: true });
  }
}
