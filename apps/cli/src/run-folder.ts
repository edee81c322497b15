import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CliError } from './errors';

/**
 * Writes a new output folder atomically: everything goes into `<dir>.partial/`, which is renamed
 * to `<dir>` only by {@link RunFolder.commit}. An interrupted run therefore leaves a `.partial`
 * folder that no reader (the web app, `lrpjs report`) mistakes for a complete run.
 */
export class RunFolder {
  /** The folder the run becomes once committed. */
  readonly finalDir: string;
  /** Where files are written until commit. */
  readonly workDir: string;
  private committed = false;

  private constructor(finalDir: string) {
    this.finalDir = finalDir;
    this.workDir = `${finalDir}.partial`;
  }

  /**
   * Starts a run folder at `dir`. Fails when `dir` already holds files (a finished run is never
   * overwritten); a stale `<dir>.partial` from an interrupted run is removed.
   */
  static create(dir: string): RunFolder {
    const folder = new RunFolder(path.resolve(dir));
    if (fs.existsSync(folder.finalDir)) {
      const stat = fs.statSync(folder.finalDir);
      if (!stat.isDirectory() || fs.readdirSync(folder.finalDir).length > 0) {
        throw new CliError(`output folder ${folder.finalDir} already exists`, 'choose another --out or remove it');
      }
      fs.rmdirSync(folder.finalDir);
    }
    fs.rmSync(folder.workDir, { recursive: true, force: true });
    try {
      fs.mkdirSync(folder.workDir, { recursive: true });
    } catch (err) {
      throw new CliError(`cannot create ${folder.workDir}: ${(err as Error).message}`, 'choose a writable --out');
    }
    return folder;
  }

  /** Absolute path of `rel` inside the folder being written (creates its parent folder). */
  path(rel: string): string {
    if (this.committed) throw new Error('RunFolder already committed');
    const p = path.join(this.workDir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    return p;
  }

  write(rel: string, data: string | Uint8Array): string {
    const p = this.path(rel);
    fs.writeFileSync(p, data);
    return p;
  }

  writeJson(rel: string, value: unknown): string {
    return this.write(rel, stringifyJson(value));
  }

  /** Renames `<dir>.partial` to `<dir>`; the run is complete from then on. */
  commit(): string {
    if (this.committed) return this.finalDir;
    fs.renameSync(this.workDir, this.finalDir);
    this.committed = true;
    return this.finalDir;
  }

  /** Removes the partial folder (after a failure, when nothing in it is worth keeping). */
  discard(): void {
    if (!this.committed) fs.rmSync(this.workDir, { recursive: true, force: true });
  }
}

/** Writes one file atomically: a temporary sibling, then a rename over the target. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * JSON indented by 2, but arrays of numbers on one line (curves, confusion rows, index lists would
 * otherwise take a line per number).
 */
export function stringifyJson(value: unknown): string {
  return (
    JSON.stringify(value, null, 2).replace(
      /\[\s*(-?[\d.eE+-]+(?:,\s*-?[\d.eE+-]+)*)\s*\]/g,
      (_, body: string) => `[${body.split(/,\s*/).join(', ')}]`,
    ) + '\n'
  );
}
