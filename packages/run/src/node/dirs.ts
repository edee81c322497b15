import fs from 'node:fs';
import path from 'node:path';
import { RunFolderError } from './errors';

/**
 * Creates `dir` and its missing parents one at a time. Node's `mkdir({ recursive: true })` retries
 * forever on pseudo-filesystems that answer ENOENT to mkdir (`/proc/x` spun a core); here ENOENT,
 * ENOTDIR or a non-folder on the way fails at once, naming the path.
 */
export function ensureDir(dir: string): void {
  const target = path.resolve(dir);
  if (isDirectory(target)) return;
  const chain: string[] = [];
  for (let p = target; ; p = path.dirname(p)) {
    chain.unshift(p);
    if (path.dirname(p) === p) break;
  }
  for (const p of chain) {
    if (isDirectory(p)) continue;
    try {
      fs.mkdirSync(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && isDirectory(p)) continue;
      const why = code === 'EEXIST' || code === 'ENOTDIR' ? `${p} exists and is not a folder` : (err as Error).message;
      throw new RunFolderError('not-writable', `cannot create ${target}: ${why}`, 'choose a writable folder');
    }
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
