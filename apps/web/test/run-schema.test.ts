/** The explorer reads a run folder through @lrpjs/run: damaged or hostile files are refused by name. */
import { loadRun } from '../src/run/loadRun';
import type { RunSource } from '../src/run/source';

const enc = new TextEncoder();

function source(files: Record<string, unknown>): RunSource {
  return {
    label: 'runs/x',
    async bytes(path) {
      const v = files[path];
      if (v === undefined) return undefined;
      return enc.encode(typeof v === 'string' ? v : JSON.stringify(v));
    },
    async modelSource(dir) {
      return { kind: 'url', url: `http://localhost/run/${dir}/model.json` };
    },
  };
}

const metricsV1 = () => ({
  version: 1,
  createdAt: '2026-01-01T00:00:00Z',
  backend: 'cpu',
  versions: { lrpjs: '0.1.0', tfjs: '4.22.0', node: 'v20' },
  settings: { dataHome: '/d', variant: 'deepfunneled', seed: 0, iterations: 1 },
  seconds: {},
  classNames: ['<script>alert(1)</script>', 'B'],
  nets: { net1: { inputSize: 64, trainAccuracy: 1, testAccuracy: 0.5, modelPath: 'models/net1' } },
  skipped: {},
});

describe('loadRun', () => {
  test('migrates a version-1 metrics.json (class names are data, kept as they are)', async () => {
    const run = await loadRun(source({ 'metrics.json': metricsV1() }));
    expect(run.metrics.version).toBe(2);
    expect(run.metrics.nets.net1.curve).toEqual([]);
    expect(run.metrics.classNames[0]).toBe('<script>alert(1)</script>');
    expect(run.models.net1).toEqual({ kind: 'url', url: 'http://localhost/run/models/net1/model.json' });
  });

  test('names the file and field of a damaged metrics.json', async () => {
    const bad = { ...metricsV1(), nets: { net1: { ...metricsV1().nets.net1, testAccuracy: 'x' } } };
    await expect(loadRun(source({ 'metrics.json': bad }))).rejects.toThrow(
      /^runs\/x\/metrics\.json: nets\.net1\.testAccuracy: expected number, got "x"/,
    );
    await expect(loadRun(source({ 'metrics.json': '{"version":1}' }))).rejects.toThrow(
      /metrics\.json: createdAt: expected string/,
    );
  });

  test('refuses a model path that leaves the run folder', async () => {
    const bad = { ...metricsV1(), nets: { net1: { ...metricsV1().nets.net1, modelPath: '../../elsewhere' } } };
    await expect(loadRun(source({ 'metrics.json': bad }))).rejects.toThrow(
      /nets\.net1\.modelPath: expected a path inside/,
    );
  });

  test('checks gallery.json against its count', async () => {
    const gallery = { count: 2, tile: {}, columns: 8, targets: [0], predictions: {} };
    await expect(loadRun(source({ 'metrics.json': metricsV1(), 'gallery/gallery.json': gallery }))).rejects.toThrow(
      /runs\/x\/gallery\/gallery\.json: targets: expected 2 entries \(count\), got 1/,
    );
  });
});
