import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseMethods, patchFor, type NetEvaluation } from '../src/faithfulness';
import { faithfulnessSections, faithfulnessTable, flippingSvg } from '../src/faithfulness-report';

function method(name: string, morfAuc: number, lerfAuc: number): NetEvaluation['methods'][number] {
  const curve = (auc: number) => ({
    logit: [1, auc, 0],
    accuracy: [1, 0.5, 0],
    aucLogit: auc,
    aucAccuracy: 0.5,
    aopcLogit: 0.3,
    aopcAccuracy: 0.5,
  });
  return {
    method: name,
    label: name,
    explainSeconds: 1,
    flipSeconds: 1,
    imageStepsPerSecond: 100,
    completenessRatio: 1,
    pixelFlipping: {
      protocol: {
        steps: 2,
        patch: 4,
        regions: 256,
        replacement: 'mean',
        normalize: 'none',
        regionScore: 'sum',
        tieBreak: 'seeded random',
        axis: 'fraction of steps',
        auc: 'trapezoid on [0, 1]',
        aopc: 'mean over s = 0..steps of f(x⁰) − f(xˢ)',
        srg: 'AUC(LeRF) − AUC(MoRF)',
        images: 3,
        seed: 0,
      },
      fraction: [0, 0.5, 1],
      morf: curve(morfAuc),
      lerf: curve(lerfAuc),
      srg: { logit: lerfAuc - morfAuc, accuracy: 0, logitStdError: 0.1 },
    },
  };
}

const evaluation: NetEvaluation = {
  net: 'net1',
  images: 3,
  testIndices: [0, 1, 2],
  methods: [method('gradient', 0.5, 0.7), method('lrp:tutorial', 0.2, 0.9)],
  example: { testIndex: 0, target: 4 },
};

test('the table ranks methods by SRG, best first', () => {
  const t = faithfulnessTable(evaluation);
  expect(t.columns.slice(0, 2)).toEqual(['method', 'SRG']);
  expect(t.rows.map((r) => r[0])).toEqual(['lrp:tutorial', 'gradient']);
  expect(t.rows[0][1]).toBeCloseTo(0.7);
});

test('one MoRF and one LeRF curve per method', () => {
  const svg = flippingSvg(evaluation);
  expect(svg.match(/MoRF/g)!.length).toBeGreaterThanOrEqual(2);
  expect(svg).toContain('gradient LeRF');
});

test('report sections come from faithfulness/faithfulness.json, none without it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrpjs-faith-'));
  try {
    expect(faithfulnessSections(dir)).toEqual([]);
    fs.mkdirSync(path.join(dir, 'faithfulness'));
    fs.writeFileSync(
      path.join(dir, 'faithfulness', 'faithfulness.json'),
      JSON.stringify({ version: 1, createdAt: '', backend: 'cpu', nets: { net1: evaluation } }),
    );
    const sections = faithfulnessSections(dir);
    expect(sections.map((s) => s.title)).toEqual([
      'Which explanation is faithful?',
      'Which explanation is faithful? — net1',
    ]);
    expect(sections[1].text).toContain('256');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--methods is checked against the composite catalogue and the baselines', async () => {
  await expect(parseMethods('lrp:epsilon-plus,ig')).resolves.toEqual(['lrp:epsilon-plus', 'ig']);
  await expect(parseMethods('lrp:nope')).rejects.toThrow(/unknown method 'lrp:nope'.*lrp:tutorial/);
  expect(patchFor(64, 'auto')).toBe(4);
  expect(patchFor(150, 'auto')).toBe(9);
});
