import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RUN_FILES } from '../src';
import {
  checkRunTarget,
  cleanRuns,
  ensureDir,
  inspectLock,
  listRuns,
  readRunFolderMetrics,
  RunWriter,
  writeFileAtomic,
} from '../src/node';
import { metricsV1 } from './fixtures';

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'lrpjs-run-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A PID that certainly belongs to no process: a child that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

function writeLockOf(dir: string, pid: number, hostname = os.hostname()): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, RUN_FILES.lock),
    JSON.stringify({ pid, hostname, startedAt: '2026-01-01T00:00:00Z' }),
  );
}

describe('ensureDir', () => {
  it('creates missing parents one by one', () => {
    const dir = path.join(root, 'a', 'b', 'c');
    ensureDir(dir);
    expect(fs.statSync(dir).isDirectory()).toBe(true);
  });

  it('fails at once under /proc instead of spinning', () => {
    if (!fs.existsSync('/proc/self')) return;
    expect(() => ensureDir('/proc/x/y')).toThrow(/cannot create \/proc\/x\/y: .*ENOENT/);
  });

  it('fails when a file is in the way', () => {
    fs.writeFileSync(path.join(root, 'file'), 'x');
    expect(() => ensureDir(path.join(root, 'file', 'sub'))).toThrow(/file exists and is not a folder/);
  });
});

describe('writeFileAtomic', () => {
  it('writes the whole file and leaves no temp file', () => {
    const file = path.join(root, 'atomic', 'x.json');
    writeFileAtomic(file, '{"a":1}');
    expect(fs.readFileSync(file, 'utf8')).toBe('{"a":1}');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['x.json']);
  });
});

describe('RunWriter', () => {
  it('writes into <dir>.partial, locked by this process, and renames on commit', () => {
    const dir = path.join(root, 'runs1', 'r');
    const w = RunWriter.start(dir, { command: 'test' });
    expect(inspectLock(w.workDir)).toMatchObject({ state: 'live', info: { pid: process.pid } });
    w.write('sub/a.txt', 'a');
    expect(fs.existsSync(dir)).toBe(false);
    w.commit();
    expect(fs.readFileSync(path.join(dir, 'sub/a.txt'), 'utf8')).toBe('a');
    expect(fs.existsSync(path.join(dir, RUN_FILES.lock))).toBe(false);
    expect(fs.existsSync(`${dir}.partial`)).toBe(false);
  });

  it('refuses a second run into a live folder and deletes nothing', () => {
    const dir = path.join(root, 'runs2', 'r');
    const first = RunWriter.start(dir);
    first.write('images.png', 'x');
    expect(() => RunWriter.start(dir)).toThrow(/another run is writing .*r\.partial: process \d+ on .* wait for it/);
    expect(fs.readFileSync(path.join(first.workDir, 'images.png'), 'utf8')).toBe('x');
    first.commit();
    expect(() => RunWriter.start(dir)).toThrow(/output folder .* already exists — choose another --out/);
  });

  it('takes over the folder of an interrupted run (dead PID)', () => {
    const dir = path.join(root, 'runs3', 'r');
    writeLockOf(`${dir}.partial`, deadPid());
    fs.writeFileSync(`${dir}.partial/old.txt`, 'old');
    const notices: string[] = [];
    const w = RunWriter.start(dir, { onNotice: (l) => notices.push(l) });
    expect(notices[0]).toMatch(/interrupted run/);
    expect(fs.existsSync(path.join(w.workDir, 'old.txt'))).toBe(false);
    w.discard();
  });

  it('leaves runs of other hosts alone', () => {
    const dir = path.join(root, 'runs4', 'r');
    writeLockOf(`${dir}.partial`, 1, 'elsewhere.example');
    expect(() => checkRunTarget(dir)).toThrow(/process 1 on elsewhere\.example/);
  });

  it('keeps the results when the final folder appears meanwhile', () => {
    const dir = path.join(root, 'runs5', 'r');
    const w = RunWriter.start(dir);
    w.write('a.txt', 'mine');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'theirs.txt'), 't');
    expect(() => w.commit()).toThrow(/appeared while this run was writing.*results are in/);
    expect(fs.readFileSync(path.join(w.workDir, 'a.txt'), 'utf8')).toBe('mine');
  });
});

describe('runs and clean', () => {
  it('lists finished, interrupted and temp files, and cleans only what is stale', () => {
    const runs = path.join(root, 'runs6');
    fs.mkdirSync(path.join(runs, 'done'), { recursive: true });
    fs.writeFileSync(path.join(runs, 'done', 'metrics.json'), '{}');
    const dead = deadPid();
    writeLockOf(path.join(runs, 'old.partial'), dead);
    writeLockOf(path.join(runs, 'live.partial'), process.pid);
    fs.writeFileSync(path.join(runs, 'done', `report.html.tmp-${dead}-ab12`), 'x');
    fs.writeFileSync(path.join(runs, `x.tmp-${process.pid}-cd34`), 'x');

    const listing = listRuns(runs);
    expect(listing.finished).toEqual([path.join(runs, 'done')]);
    expect(listing.interrupted.map((i) => [path.basename(i.dir), i.lock.state]).sort()).toEqual([
      ['live.partial', 'live'],
      ['old.partial', 'stale'],
    ]);
    expect(listing.tempFiles.map((t) => [path.basename(t.file), t.alive]).sort()).toEqual([
      [`report.html.tmp-${dead}-ab12`, false],
      [`x.tmp-${process.pid}-cd34`, true],
    ]);

    const dry = cleanRuns(runs, { dryRun: true });
    expect(dry.removed).toHaveLength(2);
    expect(fs.existsSync(path.join(runs, 'old.partial'))).toBe(true);

    const result = cleanRuns(runs);
    expect(result.removed.map((p) => path.basename(p)).sort()).toEqual(['old.partial', `report.html.tmp-${dead}-ab12`]);
    expect(fs.readdirSync(runs).sort()).toEqual(['done', 'live.partial', `x.tmp-${process.pid}-cd34`]);
  });
});

describe('readRunFolderMetrics', () => {
  it('says a run was interrupted and what to do', () => {
    const dir = path.join(root, 'runs7', 'r');
    writeLockOf(`${dir}.partial`, deadPid());
    expect(() => readRunFolderMetrics(dir)).toThrow(/r\.partial is an interrupted run .*'lrpjs clean /);
    expect(() => readRunFolderMetrics(`${dir}.partial`)).toThrow(/interrupted run/);
  });

  it('reads and migrates a finished run, naming the file in errors', () => {
    const dir = path.join(root, 'runs8', 'r');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'metrics.json'), JSON.stringify(metricsV1()));
    expect(readRunFolderMetrics(dir).version).toBe(2);
    fs.writeFileSync(path.join(dir, 'metrics.json'), '{"version":1}');
    expect(() => readRunFolderMetrics(dir)).toThrow(`${path.join(dir, 'metrics.json')}: createdAt: expected string`);
  });
});
