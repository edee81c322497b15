/**
 * `lrpjs explain-dataset` and `lrpjs worker` on a small net and the first real LFW images. The truth is an
 * independent, single-process `explain()` of the same images (no shards, no threads, no queue): the output must hold
 * every image exactly once with that relevance, after a resume, and after a queue worker is killed mid-shard.
 */
import { decodeNpy, loadLfwPeople, TUTORIAL_LFW_OPTIONS, type LfwDataset } from '@lrpjs/data';
import { createComposite, explain } from '@lrpjs/lrp';
import { buildNet1, selectBackend } from '@lrpjs/models';
import { loadModel, saveModel } from '@lrpjs/models/node';
import * as tf from '@tensorflow/tfjs';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { explainShard, imagesPerPass } from '../src/shard-explain';
import {
  inputsFingerprint,
  modelFingerprint,
  openManifest,
  shardRanges,
  type ManifestInputs,
  type ShardJob,
} from '../src/shards';
import { HAVE_SHARED_DATA, lines, runCli, SHARED_DATA, tempDir } from './helpers';

const N = 20; // images
const SHARD = 8; // → shards of 8, 8, 4
const describeData = HAVE_SHARED_DATA ? describe : describe.skip;
if (!HAVE_SHARED_DATA) console.log('explain-dataset tests skipped: no LFW in the shared data folder');

interface Output {
  indices: number[];
  targets: number[];
  relevance: Float32Array;
}

/** Every shard record and relevance file of an output folder, concatenated in shard order. */
function readOutput(out: string): Output {
  const dir = path.join(out, 'shards');
  const records = fs
    .readdirSync(dir)
    .filter((f) => /^shard-\d+\.json$/.test(f))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
  const parts = records.map((r) => decodeNpy(fs.readFileSync(path.join(out, r.relevance.file))).data as Float32Array);
  const relevance = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  parts.reduce((at, p) => (relevance.set(p, at), at + p.length), 0);
  return {
    indices: records.flatMap((r) => r.images.map((i: { index: number }) => i.index)),
    targets: records.flatMap((r) => r.images.map((i: { target: number }) => i.target)),
    relevance,
  };
}

function expectClose(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  let scale = 0;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  // wasm (threads) against cpu (this process): float32 sums in another order
  expect(worst / scale).toBeLessThan(1e-4);
}

describeData('lrpjs explain-dataset', () => {
  const root = tempDir('lrpjs-dataset-');
  const modelDir = path.join(root, 'net1');
  const common = ['--model', modelDir, '--data-home', SHARED_DATA, '--variant', 'deepfunneled'];
  const sized = [...common, '--max-images', String(N), '--shard-size', String(SHARD), '--composite', 'tutorial'];
  let data: LfwDataset;
  let truth: Float32Array;

  beforeAll(async () => {
    await selectBackend({ backend: 'cpu' });
    tf.env().set('IS_TEST', true); // no "install tfjs-node" notice in the test log
    data = await loadLfwPeople({ ...TUTORIAL_LFW_OPTIONS, dataHome: SHARED_DATA, variant: 'deepfunneled' });
    // an untrained net1 (seeded): explaining does not need a good model, only the same one everywhere
    const model = buildNet1({ numClasses: data.targetNames.length, seed: 1 });
    await saveModel(model, modelDir, {
      architecture: 'net1',
      classNames: data.targetNames,
      inputShape: [64, 64, 3],
      normalization: { scale: 3, offset: -1.5 },
    });
    model.dispose();
    // the truth: one explain() of the N images in this process
    const loaded = await loadModel(path.join(modelDir, 'model.json'));
    const one = 64 * 64 * 3;
    const x = tf.tidy(() =>
      tf
        .tensor4d(data.images.subarray(0, N * one), [N, 64, 64, 3])
        .mul(3)
        .sub(1.5),
    );
    const r = explain(loaded.model, x as tf.Tensor4D, {
      target: Array.from(data.targets.subarray(0, N)),
      composite: createComposite('tutorial'),
    });
    truth = (await r.relevance.data()) as Float32Array;
    tf.dispose([x, r.relevance, r.output]);
    loaded.model.dispose();
  });

  it('explains every image once, as one explain() does, and resumes without redoing finished shards', async () => {
    const out = path.join(root, 'local');
    const first = await runCli(['explain-dataset', ...sized, '--out', out, '--workers', '2']);
    expect(first.stderr).not.toMatch(/lrpjs:/);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`${N} images explained in .* images/s, 2 worker threads`));
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ complete: true, shardCount: 3 });
    expect(Object.keys(manifest.done).sort()).toEqual(['0', '1', '2']);
    const got = readOutput(out);
    expect(got.indices).toEqual(Array.from({ length: N }, (_, i) => i));
    expect(got.targets).toEqual(Array.from(data.targets.subarray(0, N)));
    expectClose(got.relevance, truth);
    expect(fs.readdirSync(path.join(out, 'heatmaps'))).toHaveLength(N);
    const png = fs.readFileSync(path.join(out, 'heatmaps', '000019.png'));
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([64, 64]); // IHDR: one pixel per relevance cell

    // an interruption that lost shard 1 (its record never written): only shard 1 is redone
    const mtime = (f: string) => fs.statSync(path.join(out, 'shards', f)).mtimeMs;
    const before = mtime('shard-00000.npy');
    fs.rmSync(path.join(out, 'shards', 'shard-00001.json'));
    const again = await runCli(['explain-dataset', ...sized, '--out', out, '--workers', '1']);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/resuming: 2 of 3 shards are done/);
    expect(again.stdout).toMatch(/: 8 images explained in .*; 2 shards already done/);
    expect(mtime('shard-00000.npy')).toBe(before);
    const resumed = readOutput(out);
    expect(resumed.indices).toEqual(got.indices);
    expectClose(resumed.relevance, truth);

    // nothing left: nothing explained
    const done = await runCli(['explain-dataset', ...sized, '--out', out]);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/: 0 images explained .*; 3 shards already done/);

    // other inputs into the same folder: refused, nothing touched
    const other = await runCli([
      'explain-dataset',
      ...common,
      '--max-images',
      String(N),
      '--shard-size',
      String(SHARD),
      '--composite',
      'epsilon-plus',
      '--out',
      out,
    ]);
    expect(other.code).toBe(1);
    expect(lines(other.stderr).at(-1)).toMatch(
      /holds an explain-dataset run of other inputs \(the composite changed\) — resume with the same/,
    );
    expect(mtime('shard-00000.npy')).toBe(before);
  });

  it('Ctrl-C keeps the finished shards, and the same command finishes the rest', async () => {
    const out = path.join(root, 'interrupted');
    const args = ['explain-dataset', ...sized, '--out', out, '--workers', '1'];
    // with CI set, progress prints a line per 20 %: the first one follows the first finished shard
    let sent = false;
    const cut = await runCli(args, {
      onStderr: (child, stderr) => {
        if (!sent && /explain: \d+\/\d+/.test(stderr)) sent = child.kill('SIGINT');
      },
    });
    expect(cut.code).toBe(130);
    expect(lines(cut.stderr).at(-1)).toBe(
      `lrpjs: interrupted (SIGINT); finished shards are kept in ${out}: run the same command again to resume`,
    );
    const kept = Object.keys(JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')).done).length;
    expect(kept).toBeGreaterThanOrEqual(1);
    expect(fs.existsSync(path.join(out, '.lrpjs-lock.json'))).toBe(false);
    const rest = await runCli(args);
    expect(rest.code).toBe(0);
    expect(rest.stderr).toMatch(new RegExp(`resuming: ${kept} of 3 shards are done`));
    const got = readOutput(out);
    expect(got.indices).toEqual(Array.from({ length: N }, (_, i) => i));
    expectClose(got.relevance, truth);
  });

  it('explains a folder of image files (LFW frames, cropped as `explain --images` does) for the predicted class', async () => {
    const folder = path.join(root, 'photos');
    const files = data.filePaths.slice(0, 5).map((f, k) => {
      // nested and out of order on purpose: the command sorts paths, so the image order is the sorted one
      const to = path.join(folder, k % 2 ? 'b' : 'a', `${k}.jpg`);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(f, to);
      return to;
    });
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'not an image');
    const sorted = [...files].sort();
    const out = path.join(root, 'files');
    const r = await runCli([
      'explain-dataset', '--model', modelDir, '--images', folder, '--out', out,
      '--shard-size', '2', '--workers', '1', '--composite', 'tutorial',
    ]); // prettier-ignore
    expect(r.stderr).not.toMatch(/lrpjs:/);
    expect(r.code).toBe(0);
    const { loadImageFiles } = await import('@lrpjs/data');
    const { pixels, shape } = await loadImageFiles(sorted, 64);
    const loaded = await loadModel(path.join(modelDir, 'model.json'));
    const x = tf.tidy(() => tf.tensor4d(pixels, shape).mul(3).sub(1.5));
    const e = explain(loaded.model, x as tf.Tensor4D, { target: 'predicted', composite: createComposite('tutorial') });
    const expected = (await e.relevance.data()) as Float32Array;
    const targets = Array.from(e.targets);
    tf.dispose([x, e.relevance, e.output]);
    loaded.model.dispose();
    const got = readOutput(out);
    expect(got.indices).toEqual([0, 1, 2, 3, 4]);
    expect(got.targets).toEqual(targets);
    expectClose(got.relevance, expected);
    const inputs = fs
      .readdirSync(path.join(out, 'shards'))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .flatMap((f) =>
        JSON.parse(fs.readFileSync(path.join(out, 'shards', f), 'utf8')).images.map((i: { input: string }) => i.input),
      );
    expect(inputs).toEqual(sorted);
  });

  it('explainShard keeps one model between shards and leaves no tensors behind', async () => {
    const out = path.join(root, 'in-process');
    const one = 64 * 64 * 3;
    const job = (shard: number): ShardJob => ({
      version: 1,
      fingerprint: 'f',
      model: path.join(modelDir, 'model.json'),
      modelSha256: modelFingerprint(path.join(modelDir, 'model.json')),
      composite: { name: 'tutorial' },
      target: 'true',
      source: { kind: 'lfw', dataHome: SHARED_DATA, variant: 'deepfunneled', size: 64 },
      shard,
      indices: [2 * shard, 2 * shard + 1],
      inputs: ['a', 'b'],
      out,
      heatmaps: false,
    });
    const given = (shard: number) => ({
      pixels: data.images.slice(2 * shard * one, (2 * shard + 2) * one),
      targets: data.targets.slice(2 * shard, 2 * shard + 2),
    });
    await explainShard(job(0), 1024, given(0));
    const tensors = tf.memory().numTensors;
    const r = await explainShard(job(1), 1024, given(1));
    expect(tf.memory().numTensors).toBe(tensors);
    expect(r).toMatchObject({ shard: 1, count: 2 });
    expectClose(readOutput(out).relevance, truth.subarray(0, 4 * one));
  });

  it('a memory cap too small for the workers fails before any work, naming the fix', async () => {
    const out = path.join(root, 'small');
    const r = await runCli(['explain-dataset', ...common, '--out', out, '--workers', '2', '--memory', '100']);
    expect(r.code).toBe(1);
    expect(lines(r.stderr).at(-1)).toBe(
      'lrpjs: --memory 100 MB leaves 50 MB per worker, too little for this model and one image — raise --memory or lower --workers',
    );
    expect(fs.existsSync(out)).toBe(false);
  });

  it.each([
    ['no --model', ['explain-dataset', '--out', 'x'], /required option '--model <dir>'/],
    [
      'a --queue that is not redis://',
      ['explain-dataset', '--model', 'm', '--out', 'x', '--queue', 'http://h'],
      /--queue 'http:\/\/h' is not a Redis URL/,
    ],
    [
      '--workers with --queue',
      ['explain-dataset', '--model', 'm', '--out', 'x', '--queue', 'redis://h', '--workers', '2'],
      /--workers has no effect with --queue/,
    ],
  ])('%s is a usage error (exit 2, one line)', async (_name, args, expected) => {
    const r = await runCli(args as string[]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(expected)]);
  });

  it('a GraphModel is refused with one line naming the command that explains it', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ format: 'graph-model', modelTopology: {} }));
    const r = await runCli(['explain-dataset', '--model', dir, '--out', path.join(dir, 'out')]);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual([
      expect.stringMatching(/is a GraphModel; .* — explain GraphModels with `lrpjs explain/),
    ]);
  });

  it('a worker with no Redis at its --queue exits 1 with one line', async () => {
    const port = await freePort(); // nothing listens there
    const r = await runCli(['worker', '--queue', `redis://127.0.0.1:${port}`]);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual([
      expect.stringMatching(
        new RegExp(`^lrpjs: cannot reach Redis at redis://127.0.0.1:${port} \\(.*\\) — start redis-server`),
      ),
    ]);
  });

  const REDIS = '/usr/bin/redis-server';
  const haveRedis = fs.existsSync(REDIS) || spawnSync('redis-server', ['--version']).status === 0;
  if (!haveRedis) console.log('queue test skipped: no redis-server (apt-get install redis-server)');
  (haveRedis ? it : it.skip)(
    'through a Redis queue with two workers, one killed mid-shard: every image once, relevance unchanged',
    async () => {
      const port = await freePort();
      const redisDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrpjs-redis-'));
      const redis = spawn(fs.existsSync(REDIS) ? REDIS : 'redis-server', [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        redisDir,
        '--save',
        '',
        '--appendonly',
        'no',
      ]);
      const children: ChildProcess[] = [redis];
      try {
        await new Promise<void>((resolve, reject) => {
          let log = '';
          redis.stdout!.on('data', (d: Buffer) => {
            log += d.toString();
            if (/Ready to accept connections/.test(log)) resolve();
          });
          redis.on('exit', (code) => reject(new Error(`redis-server exited (${code}): ${log}`)));
        });
        const url = `redis://127.0.0.1:${port}`;
        const out = path.join(root, 'queue');
        // Two workers on 127.0.0.1. The doomed one is ready before any job exists, so it takes one of the first jobs;
        // it announces it and is killed at once: its shard cannot be finished. The survivor runs alongside.
        let killed: string | undefined;
        let ready!: () => void;
        const doomedReady = new Promise<void>((resolve) => (ready = resolve));
        const doomed = runCli(['worker', '--queue', url, '--workers', '1', '--lock-seconds', '2'], {
          onStderr: (child, stderr) => {
            if (/worker: 1 thread on queue/.test(stderr)) ready();
            const started = /shard (\d+): started/.exec(stderr);
            if (started && !killed) {
              killed = started[1];
              child.kill('SIGKILL');
            }
          },
        });
        await doomedReady;
        let survivorLog = '';
        const survivor = runCli(['worker', '--queue', url, '--workers', '1', '--lock-seconds', '2'], {
          onStderr: (child, stderr) => {
            survivorLog = stderr;
            if (!children.includes(child)) children.push(child);
          },
        });
        const producer = runCli(['explain-dataset', ...sized, '--out', out, '--queue', url]);
        const gone = await doomed;
        expect(gone.signal).toBe('SIGKILL');
        const r = await producer;
        expect(r.stderr).not.toMatch(/lrpjs:/);
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`${N} images explained in .*queue lrpjs-explain`));
        expect(gone.stderr).not.toMatch(new RegExp(`shard ${killed}: done`));
        // the killed worker's shard was redone by the other one
        expect(survivorLog).toMatch(new RegExp(`shard ${killed}: started .*start 2\\)`));
        expect(survivorLog).toMatch(new RegExp(`shard ${killed}: done`));
        const got = readOutput(out);
        expect(got.indices).toEqual(Array.from({ length: N }, (_, i) => i));
        expectClose(got.relevance, truth);
        for (const c of children.slice(1)) c.kill('SIGTERM');
        await survivor;
      } finally {
        for (const c of children) c.kill('SIGKILL');
        fs.rmSync(redisDir, { recursive: true, force: true });
      }
    },
  );
});

describe('explain-dataset planning', () => {
  it('cuts N images into shards of a fixed size, the last one shorter', () => {
    expect(shardRanges(20, 8)).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7],
      [8, 9, 10, 11, 12, 13, 14, 15],
      [16, 17, 18, 19],
    ]);
    expect(shardRanges(3, 64)).toEqual([[0, 1, 2]]);
  });

  it('fits the images per LRP pass to the memory budget', () => {
    // dense 4 → 2: 10 weights (40 bytes, counted twice), per image 2 outputs × 4 bytes × 3 = 24 bytes
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [4] })] });
    expect(imagesPerPass(model, 161)).toBe(Math.floor((2 ** 20 - 80) / 24));
    expect(imagesPerPass(model, 160)).toBe(0);
    model.dispose();
  });

  it('refuses a non-empty folder that is not an explain-dataset output, and the same inputs elsewhere match', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'keep.txt'), 'mine');
    const inputs: ManifestInputs = {
      model: '/a/net1/model.json',
      modelSha256: 'x',
      composite: { name: 'tutorial' },
      target: 'true',
      source: { kind: 'lfw', dataHome: '/a', variant: 'deepfunneled', size: 64 },
      images: 20,
      imagesSha256: 'y',
      shardSize: 8,
    };
    expect(() => openManifest(dir, inputs, 3)).toThrow(/is not an explain-dataset output folder \(no manifest.json\)/);
    expect(fs.readdirSync(dir)).toEqual(['keep.txt']);
    const moved = { ...inputs, model: '/b/net1/model.json', source: { ...inputs.source, dataHome: '/b' } };
    expect(inputsFingerprint(moved)).toBe(inputsFingerprint(inputs));
    expect(inputsFingerprint({ ...inputs, target: 'predicted' })).not.toBe(inputsFingerprint(inputs));
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
