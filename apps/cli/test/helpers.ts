import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CLI_ROOT = path.resolve(__dirname, '..');
const MAIN = path.join(CLI_ROOT, 'src', 'main.ts');

/** /work/shared (or env LRPJS_SHARED_DIR): the real LFW subset lives in its data/ folder. */
export const SHARED_DIR = process.env.LRPJS_SHARED_DIR ?? path.resolve(__dirname, '../../../../shared');
export const SHARED_DATA = path.join(SHARED_DIR, 'data');
export const HAVE_SHARED_DATA = fs.existsSync(path.join(SHARED_DATA, 'lfw_home', 'lfw_deepfunneled'));

/**
 * Jest's limit for a test that runs the CLI: only there to end a hung child, never a performance bound, so it is
 * generous enough for a busy 2-core machine.
 */
export const HANG_GUARD_MS = 30 * 60_000;

export interface CliResult {
  code: number | null;
  /** The signal that ended the child, if one did. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Called with the child and everything it printed on stderr so far, after each chunk. */
  onStderr?: (child: ChildProcess, stderr: string) => void;
}

/** Runs the CLI as a child process, as `pnpm --filter cli start` does (sources through tsx). */
export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: '1', ...opts.env };
  // Relative paths resolve against the child's cwd, not a stale INIT_CWD from `pnpm test`.
  delete env.npm_lifecycle_event;
  delete env.INIT_CWD;
  delete env.DEBUG;
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN, ...args], {
      cwd: opts.cwd ?? CLI_ROOT,
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      opts.onStderr?.(child, stderr);
    });
    live.add(child);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      live.delete(child);
      resolve({ code, signal, stdout, stderr, seconds: (performance.now() - start) / 1000 });
    });
  });
}

/** Children still running when a test file ends (a failed or timed-out test): killed so Jest can exit. */
const live = new Set<ChildProcess>();
/** Temp folders of this test file: removed when it ends, whether its tests passed or not. */
const temps: string[] = [];
afterAll(() => {
  for (const child of live) child.kill('SIGKILL');
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under the OS temp dir, removed after the test file. */
export function tempDir(prefix = 'lrpjs-cli-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** Non-empty lines of a stream. */
export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}
