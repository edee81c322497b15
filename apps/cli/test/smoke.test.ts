/**
 * CI smoke test: the whole tutorial on the real LFW subset with 10 iterations and the first 200
 * images of each split, then the subcommands on the run it wrote.
 */
import { decodeNpy } from '@lrpjs/data';
import { decodePng } from '@lrpjs/viz';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HANG_GUARD_MS, HAVE_SHARED_DATA, lines, runCli, SHARED_DATA, tempDir, type CliResult } from './helpers';

const describeSmoke = HAVE_SHARED_DATA ? describe : describe.skip;
if (!HAVE_SHARED_DATA)
  console.warn(`SKIPPED: CLI smoke test — ${SHARED_DATA}/lfw_home/lfw_deepfunneled is missing (set LRPJS_SHARED_DIR)`);

const ITERATIONS = 10;
const MAX_IMAGES = 200;
const DATA = ['--data-home', SHARED_DATA, '--variant', 'deepfunneled', '--no-download'];

/** The fields of a metrics.json net entry these tests read. */
interface NetMetrics {
  modelPath: string;
  inputSize: number;
  trainAccuracy: number;
  testAccuracy: number;
  confusion: number[][];
  perClassAccuracy: number[];
}

/** composeGrid's layout: `padding` around and between cells. */
const gridWidth = (cells: number, cell: number, padding = 4) => 2 * padding + cells * cell + (cells - 1) * padding;

describeSmoke('lrpjs run (smoke, real subset)', () => {
  const root = tempDir('lrpjs-smoke-');
  const dir = path.join(root, 'run');
  let run: CliResult;
  const read = (rel: string) => fs.readFileSync(path.join(dir, rel));
  const png = (rel: string) => decodePng(new Uint8Array(read(rel)));
  // JSON.parse's own `any`: these tests read fields the run folder contract names.
  const json = (rel: string) => JSON.parse(read(rel).toString('utf8'));

  beforeAll(async () => {
    run = await runCli([
      '--iterations',
      String(ITERATIONS),
      '--max-images',
      String(MAX_IMAGES),
      '--nets',
      'net1,net2,net3,net4',
      // the report's faithfulness section on a few images (the default is 32)
      '--evaluate',
      '3',
      '--evaluate-methods',
      'lrp:epsilon-plus,gradient,random',
      '--evaluate-steps',
      '4',
      '--out',
      dir,
      ...DATA,
    ]);
    if (run.code !== 0) console.error(run.stdout, run.stderr);
  }, HANG_GUARD_MS);

  it('completes and commits the run folder', () => {
    expect(run.code).toBe(0);
    expect(fs.existsSync(`${dir}.partial`)).toBe(false);
    console.log(`smoke run: ${run.seconds.toFixed(1)} s`);
    expect(run.stdout).toMatch(/^net1 {3}[\d.]{5} {2}[\d.]{5}$/m);
    expect(run.stdout).toMatch(/^net3 {3}skipped$/m);
  });

  it('writes every file of the run folder layout', () => {
    for (const f of [
      'metrics.json',
      'report.html',
      'images.png',
      'curves.svg',
      'gallery/gallery.json',
      'gallery/images-64.png',
      'gallery/images-150.png',
      ...['net1', 'net2', 'net4'].flatMap((n) => [
        `models/${n}/model.json`,
        `models/${n}/weights.bin`,
        `heatmaps-${n}.png`,
        `confusion-${n}.svg`,
        `relevance-${n}.npy`,
      ]),
    ]) {
      expect([f, fs.existsSync(path.join(dir, f))]).toEqual([f, true]);
    }
    expect(fs.existsSync(path.join(dir, 'models', 'net3'))).toBe(false);
  });

  it('metrics.json follows the contract', () => {
    const m = json('metrics.json');
    expect(m.version).toBe(2);
    expect(m.settings).toMatchObject({ variant: 'deepfunneled', iterations: ITERATIONS, seed: 0 });
    expect(m.classNames).toHaveLength(19);
    expect(Object.keys(m.nets).sort()).toEqual(['net1', 'net2', 'net4']);
    expect(m.skipped.net3).toMatch(/VGG-16/);
    expect(m.versions.node).toBe(process.version);
    for (const [name, net] of Object.entries(m.nets as Record<string, NetMetrics>)) {
      expect(net.modelPath).toBe(`models/${name}`);
      expect(net.inputSize).toBe(name === 'net4' ? 150 : 64);
      for (const a of [net.trainAccuracy, net.testAccuracy]) expect(a >= 0 && a <= 1).toBe(true);
      // rows = true class: row sums are the per-person test counts, which add up to the test set
      const rowSums = net.confusion.map((r: number[]) => r.reduce((s, v) => s + v, 0));
      expect(rowSums.reduce((s: number, v: number) => s + v, 0)).toBe(MAX_IMAGES);
      const correct = net.confusion.reduce((s: number, r: number[], i: number) => s + r[i], 0);
      expect(correct / MAX_IMAGES).toBeCloseTo(net.testAccuracy, 10);
      expect(net.perClassAccuracy).toHaveLength(19);
    }
    // the tutorial prints accuracies every nbit/5 iterations: 0, 2, …, 10
    expect(m.nets.net1.curve.map((p: { iteration: number }) => p.iteration)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(m.nets.net4.testAccuracy).toBeGreaterThan(0.5); // pretrained descriptors: well above the 0.28 of the majority class
    for (const k of ['load data', 'train net1', 'total']) expect(m.seconds[k]).toBeGreaterThan(0);
  });

  it(
    'trains net1 and net2 side by side in worker threads, each exactly as it trains alone',
    async () => {
      // tfjs-node's kernels use every core already: there the nets train one after the other.
      if (json('metrics.json').backend === 'tensorflow') return;
      expect(run.stderr).toMatch(/^train net1 \+ net2: started/m);
      // Alone, on this thread, with the wasm threads each training thread had: the same weights, bit for bit
      // (net2: its dropout masks come from the seed too).
      const alone = path.join(root, 'net2-alone');
      const threads = String(Math.max(1, Math.floor(os.availableParallelism() / 2)));
      const r = await runCli(
        [
          'train',
          '--net',
          'net2',
          '--iterations',
          String(ITERATIONS),
          '--max-images',
          String(MAX_IMAGES),
          '--out',
          alone,
          ...DATA,
        ],
        { env: { LRPJS_WASM_THREADS: threads } },
      );
      expect(r.code).toBe(0);
      const weights = (d: string) => fs.readFileSync(path.join(d, 'models', 'net2', 'weights.bin'));
      expect(weights(alone).equals(weights(dir))).toBe(true);
    },
    HANG_GUARD_MS,
  );

  it('PNGs decode with the expected sizes', () => {
    const g = json('gallery/gallery.json');
    expect(g.count).toBe(48);
    expect(g.columns).toBe(8);
    expect(g.testIndices).toEqual(Array.from({ length: 48 }, (_, i) => i));
    expect(g.tile).toEqual({ 64: 'images-64.png', 150: 'images-150.png' });
    expect(Object.keys(g.predictions).sort()).toEqual(['net1', 'net2', 'net4']);
    for (const p of Object.values<number[]>(g.predictions)) expect(p).toHaveLength(48);
    for (const size of [64, 150]) {
      const atlas = png(`gallery/images-${size}.png`);
      expect([atlas.width, atlas.height]).toEqual([8 * size, 6 * size]);
    }
    // 150-pixel cells (net4's input; 64-pixel maps are drawn ×2 and centred), 8 columns, aligned rows
    const width = gridWidth(8, 150);
    for (const n of ['net1', 'net2', 'net4']) {
      const h = png(`heatmaps-${n}.png`);
      expect([n, h.width, h.height]).toEqual([n, width, 150 + 8]);
    }
    const images = png('images.png');
    expect(images.width).toBe(width);
    expect(images.height).toBeGreaterThan(150 + 8); // names under the faces
  });

  /** `lrpjs data --export` of the same data (an independent path to the pixels and labels). */
  const exportDir = path.join(root, 'export');
  const exportData = async () => {
    if (!fs.existsSync(path.join(exportDir, 'targets.npy'))) {
      const r = await runCli(['data', ...DATA, '--export', exportDir]);
      expect(r.code).toBe(0);
    }
  };
  const exportedTargets = async () => {
    await exportData();
    return Array.from(decodeNpy(new Uint8Array(fs.readFileSync(path.join(exportDir, 'targets.npy')))).data);
  };

  it('the gallery atlas holds the test images losslessly (same pixels as lrpjs data)', async () => {
    await exportData();
    const out = exportDir;
    const all = decodeNpy(new Uint8Array(fs.readFileSync(path.join(out, 'images.npy'))));
    const atlas = png('gallery/images-64.png');
    // test image k is dataset image 2k+1; check tile 9 (row 1, column 1) pixel by pixel
    const k = 9;
    const size = 64 * 64 * 3;
    const src = all.data.subarray((2 * k + 1) * size, (2 * k + 2) * size);
    let maxDiff = 0;
    for (let y = 0; y < 64; y++) {
      for (let x = 0; x < 64; x++) {
        for (let c = 0; c < 3; c++) {
          const a = atlas.data[((64 + y) * atlas.width + (64 + x)) * 4 + c] / 255;
          maxDiff = Math.max(maxDiff, Math.abs(a - src[(y * 64 + x) * 3 + c]));
        }
      }
    }
    expect(maxDiff).toBeLessThan(1e-6);
  });

  it('relevance arrays have the input shape of each net', () => {
    expect(decodeNpy(new Uint8Array(read('relevance-net1.npy'))).shape).toEqual([8, 64, 64, 3]);
    expect(decodeNpy(new Uint8Array(read('relevance-net4.npy'))).shape).toEqual([8, 150, 150, 3]);
  });

  it('report.html is one self-contained page', () => {
    const html = read('report.html').toString('utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).not.toMatch(/<script|src="(?!data:)/i);
    for (const n of ['net1', 'net2', 'net3', 'net4']) expect(html).toContain(n);
    expect(html).toContain('VGG-16');
  });

  it('run evaluates the explanations on its default subset: faithfulness/ and the report section', () => {
    const f = json('faithfulness/faithfulness.json');
    expect(Object.keys(f.nets).sort()).toEqual(['net1', 'net2', 'net4']);
    for (const net of ['net1', 'net2', 'net4']) {
      expect(f.nets[net].images).toBe(3);
      expect(f.nets[net].methods.map((m: { method: string }) => m.method)).toEqual([
        'lrp:epsilon-plus',
        'gradient',
        'random',
      ]);
      for (const file of [`flipping-${net}.svg`, `sanity-${net}.svg`, `methods-${net}.png`]) {
        expect([file, fs.existsSync(path.join(dir, 'faithfulness', file))]).toEqual([file, true]);
      }
    }
    expect(f.nets.net1.methods[0].pixelFlipping.protocol).toMatchObject({ steps: 4, patch: 4, replacement: 'mean' });
    expect(read('report.html').toString('utf8')).toContain('Which explanation is faithful?');
  });

  it('report rebuilds the page', async () => {
    fs.rmSync(path.join(dir, 'report.html'));
    const r = await runCli(['report', dir]);
    expect(r.code).toBe(0);
    expect(read('report.html').toString('utf8')).toContain('net4');
  });

  it('evaluate of the saved net1 reproduces the run’s predictions', async () => {
    const r = await runCli(['evaluate', path.join(dir, 'models', 'net1'), ...DATA, '--json']);
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout);
    expect(e.test.count).toBe(933);
    expect(e.test.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(933);
    // The run scored the in-memory model on the first 200 test images; the saved and reloaded model
    // must predict the same classes for them.
    const predicted = e.test.predicted as number[];
    expect(predicted.slice(0, 48)).toEqual(json('gallery/gallery.json').predictions.net1);
    const all = await exportedTargets();
    const testTargets = Array.from({ length: MAX_IMAGES }, (_, i) => all[2 * i + 1]); // test = [1::2]
    const correct = testTargets.filter((t, i) => predicted[i] === t).length;
    expect(correct / MAX_IMAGES).toBeCloseTo(json('metrics.json').nets.net1.testAccuracy, 10);
  });

  it('explain writes heatmaps and relevance for dataset images and image files', async () => {
    const out = path.join(root, 'explain-idx');
    const r = await runCli(['explain', path.join(dir, 'models', 'net1'), '--indices', '0-2', '--out', out, ...DATA]);
    expect(r.code).toBe(0);
    expect(lines(r.stdout).filter((l) => /^test #\d: true /.test(l))).toHaveLength(3);
    const rel = decodeNpy(new Uint8Array(fs.readFileSync(path.join(out, 'relevance.npy'))));
    expect(rel.shape).toEqual([3, 64, 64, 3]);
    const e = JSON.parse(fs.readFileSync(path.join(out, 'explain.json'), 'utf8'));
    expect(e.inputs.map((i: { target: string; trueClass: string }) => i.target)).toEqual(
      e.inputs.map((i: { trueClass: string }) => i.trueClass),
    );
    const heat = decodePng(new Uint8Array(fs.readFileSync(path.join(out, 'heatmaps.png'))));
    expect([heat.width, heat.height]).toEqual([gridWidth(3, 128), 128 + 8]);

    const face = path.join(SHARED_DATA, 'lfw_home', 'lfw_deepfunneled', 'Colin_Powell', 'Colin_Powell_0001.jpg');
    const out2 = path.join(root, 'explain-file');
    const r2 = await runCli([
      'explain',
      path.join(dir, 'models', 'net1'),
      '--images',
      face,
      '--target',
      'Powell',
      '--out',
      out2,
      '--no-download',
    ]);
    expect(r2.code).toBe(0);
    expect(r2.stdout).toMatch(/Colin_Powell_0001\.jpg: predicted .* explained Colin Powell/);
    expect(decodeNpy(new Uint8Array(fs.readFileSync(path.join(out2, 'relevance.npy')))).shape).toEqual([1, 64, 64, 3]);
  });

  it('the saved net4 (functional model with residual adds) loads and explains at 150×150', async () => {
    const out = path.join(root, 'explain-net4');
    const r = await runCli(['explain', path.join(dir, 'models', 'net4'), '--indices', '0', '--out', out, ...DATA]);
    expect(r.stderr).not.toMatch(/^lrpjs:/m);
    expect(r.code).toBe(0);
    expect(decodeNpy(new Uint8Array(fs.readFileSync(path.join(out, 'relevance.npy')))).shape).toEqual([1, 150, 150, 3]);
  });

  it('explain rejects an image array of the wrong size with one line', async () => {
    const { encodeNpy } = await import('@lrpjs/data');
    const bad = path.join(root, 'small.npy');
    fs.writeFileSync(bad, encodeNpy(new Float32Array(32 * 32 * 3), [32, 32, 3]));
    const r = await runCli([
      'explain',
      path.join(dir, 'models', 'net1'),
      '--images',
      bad,
      '--out',
      path.join(root, 'x'),
    ]);
    expect(r.code).toBe(1);
    expect(lines(r.stderr).filter((l) => l.startsWith('lrpjs:'))).toEqual([
      expect.stringMatching(/holds 32×32 images but the model takes 64×64 — /),
    ]);
    expect(fs.existsSync(path.join(root, 'x'))).toBe(false);
    expect(fs.existsSync(path.join(root, 'x.partial'))).toBe(false);
  });

  it('refuses to overwrite a finished run', async () => {
    const r = await runCli(['--out', dir, '--nets', 'net1', ...DATA]);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/already exists — choose another --out/)]);
  });

  it('an interrupted run training two nets in threads exits 130 and leaves nothing', async () => {
    const out = path.join(root, 'interrupted-parallel');
    let sent = false;
    const r = await runCli(
      ['--nets', 'net1,net2', '--iterations', '5000', '--max-images', '100', '--out', out, ...DATA],
      {
        onStderr: (child, err) => {
          if (!sent && /train net1 \+ net2: |train net1: started/.test(err)) {
            sent = true;
            child.kill('SIGINT');
          }
        },
      },
    );
    expect(sent).toBe(true);
    expect(r.code).toBe(130);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.existsSync(`${out}.partial`)).toBe(false);
  });

  it('an interrupted run exits 130 and leaves nothing', async () => {
    const out = path.join(root, 'interrupted');
    let sent = false;
    const r = await runCli(['--nets', 'net1', '--iterations', '5000', '--max-images', '100', '--out', out, ...DATA], {
      onStderr: (child, err) => {
        if (!sent && err.includes('train net1: started')) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(sent).toBe(true);
    expect(r.code).toBe(130); // ended within a training step, not after training
    expect(r.stderr).toMatch(/\nlrpjs: interrupted \(SIGINT\); nothing was kept\n$/);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.existsSync(`${out}.partial`)).toBe(false);
  });
});
