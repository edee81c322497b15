import { buildRows, formatFooter, formatTable } from '../src/report';
import type { RunnerResult } from '../src/stages';

const data = { images: 1867, classes: 19, train: 934, test: 933, shape: [64, 64, 3] };
const pytorch: RunnerResult = {
  runner: 'pytorch',
  backend: 'pytorch',
  versions: {},
  data,
  stages: {
    lrp_net1: { status: 'ok', times: [3, 1, 2], images: 8 },
    vgg_features: { status: 'ok', times: [10], images: 934, batch: 64 },
  },
  peakRssMiB: 800,
};
const wasm: RunnerResult = {
  runner: 'lrpjs',
  backend: 'wasm',
  status: 'ok',
  versions: {},
  data,
  stages: {
    lrp_net1: { status: 'ok', times: [4, 5, 6], images: 8 },
    vgg_features: { status: 'skipped', reason: 'projected 99 s' },
  },
  peakRssMiB: 1200,
};
const node: RunnerResult = {
  runner: 'lrpjs',
  backend: 'tensorflow',
  status: 'unavailable',
  reason: 'no tfjs-node',
  versions: {},
  stages: {},
};

describe('buildRows', () => {
  const rows = buildRows([pytorch, wasm, node], ['vgg_features', 'lrp_net1']);

  it('reports medians, ratios to PyTorch and GFLOP/s from the analytic counts', () => {
    const lrp = rows.find((r) => r.stage === 'lrp_net1' && r.backend === 'wasm');
    expect(lrp).toMatchObject({ status: 'ok', value: 5, reps: 3, unit: 's' });
    expect(lrp?.ratio).toBeCloseTo(5 / 2, 12);
    // 8 images × (3·51 187 200 + 4·6 144 000) FLOPs in 5 s.
    expect(lrp?.gflops).toBeCloseTo((8 * 178_137_600) / 5 / 1e9, 9);
    const ref = rows.find((r) => r.stage === 'lrp_net1' && r.backend === 'pytorch');
    expect(ref).toMatchObject({ value: 2 });
    expect(ref?.ratio).toBeUndefined();
    const vgg = rows.find((r) => r.stage === 'vgg_features' && r.backend === 'pytorch');
    expect(vgg?.gflops).toBeCloseTo((934 * 1_524_105_216) / 10 / 1e9, 9);
  });

  it('keeps skipped stages with their reason and leaves unavailable backends to the footer', () => {
    expect(rows.find((r) => r.stage === 'vgg_features' && r.backend === 'wasm')).toMatchObject({
      status: 'skipped',
      value: null,
      note: 'projected 99 s',
    });
    expect(rows.some((r) => r.backend === 'tensorflow')).toBe(false);
    expect(formatFooter([pytorch, wasm, node])).toEqual(['tensorflow: unavailable — no tfjs-node']);
  });

  it('adds peak memory per process with its ratio', () => {
    const mem = rows.filter((r) => r.stage === 'peak_memory');
    expect(mem.map((r) => [r.backend, r.value, r.unit])).toEqual([
      ['pytorch', 800, 'MiB'],
      ['wasm', 1200, 'MiB'],
    ]);
    expect(mem[1].ratio).toBeCloseTo(1.5, 12);
  });

  it('formats an aligned Markdown table', () => {
    const lines = formatTable(rows).split('\n');
    expect(lines[0]).toMatch(/^\| stage +\| backend +\| +median \| reps \| × PyTorch \| GFLOP\/s \| notes +\|$/);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines.find((l) => l.includes('LRP net1') && l.includes('wasm'))).toMatch(/5\.00 s \|\s+3 \|\s+2\.50×/);
  });
});
