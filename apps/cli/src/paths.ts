import os from 'node:os';
import path from 'node:path';

/**
 * The directory the user typed the command in. `pnpm --filter cli start` runs the script inside
 * apps/cli, so relative paths must be resolved against INIT_CWD (set by pnpm/npm to where they
 * were called from) — but only inside a package script, where INIT_CWD is fresh; elsewhere it may be
 * a stale value inherited from some outer script.
 */
export function invocationDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.npm_lifecycle_event && env.INIT_CWD) return env.INIT_CWD;
  return process.cwd();
}

/** A path the user gave, resolved against {@link invocationDir}; `~` expands to the home folder. */
export function resolveUserPath(p: string): string {
  const expanded = p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
  return path.resolve(invocationDir(), expanded);
}

/** `YYYYMMDD-HHMMSS` in local time, the run folder's default name. */
export function timestamp(date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-` +
    `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`
  );
}

/** `--out` resolved, or `runs/<timestamp>[-suffix]` under the invocation directory. */
export function outputDir(out: string | undefined, suffix = ''): string {
  return out ? resolveUserPath(out) : path.join(invocationDir(), 'runs', timestamp() + suffix);
}

/** The data home: flag, else env LRPJS_DATA_HOME, else ~/.lrpjs (as @lrpjs/data's default). */
export function defaultDataHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.LRPJS_DATA_HOME || path.join(os.homedir(), '.lrpjs');
}
