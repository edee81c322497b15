/**
 * The bench end to end in --quick mode on tiny settings: a generated LFW-like data home (2 people ×
 * 30 noise JPEGs), 2 training iterations, 4 VGG images, 1 LRP image, wasm only. PyTorch runs when
 * /usr/bin/python3 (or LRPJS_PYTHON) has it and is reported as unavailable otherwise; either way the
 * JSON must have the documented shape. Timings here mean nothing; only the plumbing is checked.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { ResultRow } from '../src/report';
import type { RunnerResult } from '../src/stages';

const run = promisify(execFile);
const BENCH_DIR = path.resolve(__dirname, '..');
const PEOPLE = ['Ada_Lovelace', 'Alan_Turing'];
const PER_PERSON = 30;
/** Only ends a hung bench; never a performance bound (a busy 2-core machine may take many minutes). */
const HANG_GUARD_MS = 30 * 60_000;

/** lfw_home/lfw_funneled/<Person>/<Person>_NNNN.jpg, 250×250, each person a different tint. */
async function makeDataHome(dir: string): Promise<void> {
  let seed = 1;
  const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 255;
  for (const [p, person] of PEOPLE.entries()) {
    const folder = path.join(dir, 'lfw_home', 'lfw_funneled', person);
    fs.mkdirSync(folder, { recursive: true });
    for (let i = 1; i <= PER_PERSON; i++) {
      const px = Buffer.alloc(250 * 250 * 3);
      for (let j = 0; j < px.length; j++) px[j] = Math.min(255, noise() * 0.5 + (j % 3 === p ? 120 : 0));
      const file = path.join(folder, `${person}_${String(i).padStart(4, '0')}.jpg`);
      await sharp(px, { raw: { width: 250, height: 250, channels: 3 } })
        .jpeg({ quality: 80 })
        .toFile(file);
    }
  }
}

describe('pnpm bench --quick on tiny settings', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lrpjs-bench-test-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it(
    'runs every stage and writes the table and the JSON',
    async () => {
      await makeDataHome(tmp);
      const out = path.join(tmp, 'results.json');
      const args = [
        '--conditions=source',
        '--import',
        'tsx',
        path.join(BENCH_DIR, 'src', 'main.ts'),
        ...['--quick', '--data-home', tmp, '--min-faces', String(PER_PERSON), '--iterations', '2', '--reps', '1'],
        ...[
          '--vgg-images',
          '4',
          '--vgg-batch',
          '2',
          '--lrp-images',
          '1',
          '--backends',
          'wasm',
          '--threads',
          '1',
          '--out',
          out,
        ],
      ];
      const { stdout } = await run(process.execPath, args, {
        cwd: BENCH_DIR,
        env: { ...process.env, INIT_CWD: tmp },
        maxBuffer: 1 << 24,
      });
      expect(stdout).toMatch(/\| stage +\| backend/);
      expect(stdout).toContain('LRP face backbone');

      const report = JSON.parse(fs.readFileSync(out, 'utf8')) as {
        version: number;
        settings: { iterations: number; quick: boolean };
        threads: { js: number; pytorch?: number };
        runners: RunnerResult[];
        rows: ResultRow[];
        table: string;
      };
      expect(report.version).toBe(1);
      expect(report.settings).toMatchObject({ iterations: 2, quick: true });
      expect(report.threads.js).toBe(1);

      const node = report.runners.find((r) => r.backend === 'node');
      expect(node?.data).toMatchObject({ images: 60, classes: 2, train: 30, test: 30, shape: [64, 64, 3] });
      const ok = (stage: string, backend: string) =>
        report.rows.find((r) => r.stage === stage && r.backend === backend);
      for (const stage of ['load_cold', 'load_cached'])
        expect(ok(stage, 'node')).toMatchObject({ status: 'ok', reps: 1 });
      for (const stage of ['train_net1', 'vgg_features', 'lrp_net1', 'lrp_vgg', 'lrp_face']) {
        const row = ok(stage, 'wasm');
        expect(row).toMatchObject({ status: 'ok', unit: 's' });
        expect(row?.value).toBeGreaterThan(0);
        expect(row?.gflops).toBeGreaterThan(0);
      }
      expect(ok('train_net1', 'wasm')?.perStepMs).toBeGreaterThan(0);
      expect(report.runners.find((r) => r.backend === 'wasm')?.stages.train_net1).toMatchObject({ steps: 3 });
      expect(ok('peak_memory', 'wasm')?.value).toBeGreaterThan(50);

      const pytorch = report.runners.find((r) => r.runner === 'pytorch');
      expect(pytorch).toBeDefined();
      if (pytorch?.status === 'unavailable') {
        console.log(`PyTorch side not checked: ${pytorch.reason}`);
      } else {
        expect(pytorch?.data).toMatchObject({ images: 60, classes: 2, train: 30, test: 30 });
        expect(report.threads.pytorch).toBe(1);
        for (const stage of ['load_cold', 'load_cached', 'train_net1', 'vgg_features', 'lrp_net1', 'lrp_vgg']) {
          expect(ok(stage, 'pytorch')).toMatchObject({ status: 'ok' });
        }
        expect(ok('lrp_net1', 'wasm')?.ratio).toBeGreaterThan(0);
        expect(ok('load_cold', 'node')?.ratio).toBeGreaterThan(0);
      }
    },
    HANG_GUARD_MS,
  );
});
