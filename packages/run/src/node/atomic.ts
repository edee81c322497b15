import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { tempFileName } from '../layout';
import { ensureDir } from './dirs';

/**
 * Writes `file` atomically: a temporary sibling named `<file>.tmp-<pid>-<random>` (so `lrpjs clean`
 * can tell whose it is), then a rename. Readers never see half a file; a crash leaves only the temp.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  ensureDir(path.dirname(file));
  const tmp = tempFileName(file, process.pid, randomBytes(4).toString('hex'));
  try {
    fs.writeFileSync(tmp, data, { flag: 'wx' });
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
