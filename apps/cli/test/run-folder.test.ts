/**
 * The run folder from the command line: live runs are never touched, interrupted ones are named and
 * cleaned, damaged files are reported by file and field.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HAVE_SHARED_DATA, lines, runCli, SHARED_DATA, tempDir } from './helpers';

const root = tempDir('lrpjs-cli-runs-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const DATA = ['--data-home', SHARED_DATA, '--variant', 'deepfunneled', '--no-download'];

function lockOf(dir: string, pid: number): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, '.lrpjs-lock.json'),
    JSON.stringify({ pid, hostname: os.hostname(), startedAt: '2026-01-01T00:00:00Z', command: 'lrpjs train' }),
  );
}

function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
}

describe('live runs', () => {
  it('a second run into a live folder refuses and deletes nothing', async () => {
    const out = path.join(root, 'busy');
    lockOf(`${out}.partial`, process.pid); // this test process plays the first run
    fs.writeFileSync(path.join(`${out}.partial`, 'images.png'), 'first run');
    const r = await runCli(['train', '--out', out, ...DATA]);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual([
      expect.stringMatching(
        new RegExp(`^lrpjs: another run is writing .*busy\\.partial: process ${process.pid} on .* — wait for it`),
      ),
    ]);
    expect(fs.readFileSync(path.join(`${out}.partial`, 'images.png'), 'utf8')).toBe('first run');
  });
});

describe('report', () => {
  it('on an interrupted run says so and what to do', async () => {
    const out = path.join(root, 'gone');
    lockOf(`${out}.partial`, deadPid());
    const r = await runCli(['report', out]);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual([
      expect.stringMatching(
        /gone\.partial is an interrupted run .* — run the command again, and remove it with 'lrpjs clean /,
      ),
    ]);
  });

  it('on {"version":1} gives the schema error', async () => {
    const out = path.join(root, 'v1');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'metrics.json'), '{"version":1}');
    const r = await runCli(['report', out]);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual([
      expect.stringMatching(/metrics\.json: createdAt: expected string, got nothing \(the field is missing\)/),
    ]);
    expect(fs.existsSync(path.join(out, 'report.html'))).toBe(false);
  });
});

describe('runs and clean', () => {
  it('list and remove only what no process writes', async () => {
    const runs = path.join(root, 'runs');
    fs.mkdirSync(path.join(runs, 'done'), { recursive: true });
    fs.writeFileSync(path.join(runs, 'done', 'metrics.json'), '{}');
    const dead = deadPid();
    lockOf(path.join(runs, 'old.partial'), dead);
    lockOf(path.join(runs, 'live.partial'), process.pid);
    fs.writeFileSync(path.join(runs, 'done', `report.html.tmp-${dead}-aa`), 'x');

    const listed = await runCli(['runs', runs]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/1 finished, 2 unfinished \(\*\.partial\), 1 temp files/);
    expect(listed.stdout).toMatch(/old\.partial: interrupted \(process \d+ no longer runs\)/);
    expect(listed.stdout).toMatch(/live\.partial: running/);

    const cleaned = await runCli(['clean', runs]);
    expect(cleaned.code).toBe(0);
    expect(cleaned.stdout).toMatch(/removed 2, kept 1/);
    expect(fs.readdirSync(runs).sort()).toEqual(['done', 'live.partial']);
    expect(fs.readdirSync(path.join(runs, 'done'))).toEqual(['metrics.json']);
  });
});

describe('model argument', () => {
  it('weights.bin instead of the folder explains to pass the folder', async () => {
    const model = path.join(root, 'model');
    fs.mkdirSync(model);
    fs.writeFileSync(path.join(model, 'weights.bin'), '');
    const r = await runCli(['evaluate', path.join(model, 'weights.bin'), ...DATA]);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual([
      expect.stringMatching(/weights\.bin is a file, not a model folder .* — pass the folder .*model/),
    ]);
  });
});

(HAVE_SHARED_DATA && fs.existsSync('/proc/self') ? it : it.skip)(
  '--out under /proc fails at once, creating nothing',
  async () => {
    const r = await runCli(['train', '--out', '/proc/lrpjs-x/run', '--max-images', '25', '--iterations', '1', ...DATA]);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(lines(r.stderr).filter((l) => l.startsWith('lrpjs:'))).toEqual([
      expect.stringMatching(/cannot create \/proc\/lrpjs-x/),
    ]);
  },
);
