import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RUN_FILES } from '../layout';
import { readRunLock } from '../read';
import type { RunLockInfo } from '../schemas/lock';

/** A `.partial` folder without a lock younger than this is taken as being created right now. */
const UNLOCKED_GRACE_MS = 60_000;

/**
 * Whose a `.partial` folder is:
 * - `live`: its writer runs on this machine (or it is being created) — never touch it;
 * - `foreign`: written from another host (shared disk), whose processes we cannot see — left alone;
 * - `stale`: the writer is gone (its PID no longer exists), or the lock is unreadable and old — an interrupted run.
 */
export type LockState =
  | { state: 'live'; info?: RunLockInfo }
  | { state: 'foreign'; info: RunLockInfo }
  | { state: 'stale'; info?: RunLockInfo; why: string };

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function inspectLock(partialDir: string, now = Date.now()): LockState {
  const file = path.join(partialDir, RUN_FILES.lock);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    const age = now - safeMtime(partialDir);
    return age < UNLOCKED_GRACE_MS ? { state: 'live' } : { state: 'stale', why: 'no lock file' };
  }
  let info: RunLockInfo;
  try {
    info = readRunLock(text, file);
  } catch (err) {
    const age = now - safeMtime(file);
    return age < UNLOCKED_GRACE_MS ? { state: 'live' } : { state: 'stale', why: (err as Error).message };
  }
  if (info.hostname !== os.hostname()) return { state: 'foreign', info };
  if (info.pid === process.pid || processAlive(info.pid)) return { state: 'live', info };
  return { state: 'stale', info, why: `process ${info.pid} no longer runs` };
}

/** Writes the lock of `partialDir` (which the caller has just created); fails if one exists. */
export function writeLock(partialDir: string, command?: string): RunLockInfo {
  const info: RunLockInfo = { pid: process.pid, hostname: os.hostname(), startedAt: new Date().toISOString(), command };
  fs.writeFileSync(path.join(partialDir, RUN_FILES.lock), JSON.stringify(info) + '\n', { flag: 'wx' });
  return info;
}

export function describeOwner(lock: LockState): string {
  if (!lock.info) return 'a process that is just starting';
  return `process ${lock.info.pid} on ${lock.info.hostname} (since ${lock.info.startedAt}${lock.info.command ? `, ${lock.info.command}` : ''})`;
}

function safeMtime(p: string): number {
  try {
    return fs.statSync(p).mtimeMs;
  } catch {
    return 0;
  }
}
