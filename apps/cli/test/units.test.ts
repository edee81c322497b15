import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../src/errors';
import { resolveTargetClass } from '../src/explain-saved-model';
import { resolveComposite } from '../src/explain-arrays';
import { parseIndexList } from '../src/indices';
import type { RunMetrics } from '../src/metrics';
import { checkCompositeParameters } from '../src/net-names';
import { invocationDir, outputDir, timestamp } from '../src/paths';
import { displayCell, tileScaleFor } from '../src/render';
import { orderNets, reportDataFromRun, writeReport } from '../src/report';
import { detectProgressMode, Progress } from '../src/progress';
import { parallelNets } from '../src/train-threads';
import { rowsPerPass } from '../src/faithfulness';
import { RunWriter, stringifyJson, writeFileAtomic } from '@lrpjs/run/node';
import { tempDir } from './helpers';

describe('paths', () => {
  it('uses INIT_CWD only inside a package script', () => {
    expect(invocationDir({ INIT_CWD: '/somewhere', npm_lifecycle_event: 'start' })).toBe('/somewhere');
    expect(invocationDir({ INIT_CWD: '/stale' })).toBe(process.cwd());
  });
  it('names run folders by local time', () => {
    expect(timestamp(new Date(2024, 0, 2, 3, 4, 5))).toBe('20240102-030405');
    expect(outputDir(undefined)).toMatch(/runs[/\\]\d{8}-\d{6}$/);
  });
});

describe('progress', () => {
  const sink = () => {
    const out: string[] = [];
    return { out, stream: { write: (s: string) => out.push(s) } };
  };
  it('bars only on a TTY without CI', () => {
    expect(detectProgressMode({ isTTY: true }, {})).toBe('bar');
    expect(detectProgressMode({ isTTY: true }, { CI: 'true' })).toBe('plain');
    expect(detectProgressMode({ isTTY: false }, {})).toBe('plain');
  });
  it('plain mode prints a few whole lines, no carriage returns', () => {
    const { out, stream } = sink();
    const stage = new Progress({ mode: 'plain', stream }).stage('train net1', 100);
    for (let i = 1; i <= 100; i++) stage.update(i, `loss ${(1 / i).toFixed(2)}`);
    stage.finish('test 0.80');
    const text = out.join('');
    expect(text).not.toContain('\r');
    const ls = text.trim().split('\n');
    expect(ls[0]).toBe('train net1: started (100 steps)');
    expect(ls).toHaveLength(1 + 4 + 1); // start, 20/40/60/80 %, done
    expect(ls[1]).toMatch(/^train net1: 20\/100 loss 0.05/);
    expect(ls[5]).toMatch(/^train net1: done in [\d.]+ s — test 0.80$/);
  });
  it('bar mode redraws in place and ends with a line', () => {
    const { out, stream } = sink();
    const stage = new Progress({ mode: 'bar', stream }).stage('x', 4);
    stage.update(4);
    stage.finish();
    expect(out.join('')).toMatch(/^x \[#+\] 100% 4\/4\r\x1b\[2Kx: done in/);
  });
});

describe('parallel training', () => {
  it('trains net1 and net2 side by side only when both are asked for, with two cores, off tfjs-node', () => {
    expect(parallelNets(['net1', 'net2', 'net3', 'net4'], 'wasm', 2)).toEqual(['net1', 'net2']);
    expect(parallelNets(['net2', 'net1'], 'cpu', 8)).toEqual(['net2', 'net1']);
    expect(parallelNets(['net1', 'net4'], 'wasm', 2)).toEqual([]);
    expect(parallelNets(['net1', 'net2'], 'wasm', 1)).toEqual([]);
    expect(parallelNets(['net1', 'net2'], 'tensorflow', 16)).toEqual([]);
  });
});

describe('evaluation batches', () => {
  it('keep the pixels of a pass: the batch size at 64×64, proportionally fewer rows for larger inputs', () => {
    expect(rowsPerPass(256, 64, 64)).toBe(256);
    expect(rowsPerPass(256, 32, 32)).toBe(256); // never more rows than asked for
    expect(rowsPerPass(256, 150, 150)).toBe(46); // floor(256 · 4096 / 22500)
    expect(rowsPerPass(256, 128, 64)).toBe(128);
    expect(rowsPerPass(2, 224, 224)).toBe(1);
  });
});

describe('run folder', () => {
  it('is invisible until committed, then complete', () => {
    const dir = path.join(tempDir(), 'run');
    const run = RunWriter.start(dir);
    run.writeJson('metrics.json', { version: 1 });
    run.write('models/net1/model.json', '{}');
    expect(fs.existsSync(dir)).toBe(false);
    expect(fs.existsSync(`${dir}.partial/models/net1/model.json`)).toBe(true);
    run.commit();
    expect(fs.existsSync(`${dir}.partial`)).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'metrics.json'), 'utf8'))).toEqual({ version: 1 });
  });
  it('never overwrites a finished run', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'metrics.json'), '{}');
    expect(() => RunWriter.start(dir)).toThrow(/already exists — choose another --out/);
  });
  it('replaces a file atomically', () => {
    const file = path.join(tempDir(), 'a', 'report.html');
    writeFileAtomic(file, 'one');
    writeFileAtomic(file, 'two');
    expect(fs.readFileSync(file, 'utf8')).toBe('two');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['report.html']);
  });
});

describe('stringifyJson', () => {
  it('keeps number arrays on one line and parses back to the same value', () => {
    const value = {
      a: [1, -2.5, 3e-7],
      m: [
        [1, 2],
        [3, 4],
      ],
      s: ['x', 'y'],
      e: [],
    };
    const text = stringifyJson(value);
    expect(JSON.parse(text)).toEqual(value);
    expect(text).toContain('"a": [1, -2.5, 3e-7]');
    expect(text).toContain('[1, 2]');
    expect(text).toContain('"x",\n'); // strings keep one per line
  });
});

describe('index lists', () => {
  it('parses ranges and lists', () => {
    expect(parseIndexList('0-7')).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(parseIndexList('3, 1,3-4')).toEqual([3, 1, 4]);
    expect(() => parseIndexList('5-2')).toThrow(/backwards/);
    expect(() => parseIndexList('a')).toThrow(/not an index/);
  });
});

describe('explain targets', () => {
  const names = ['Colin Powell', 'George W Bush', 'Laura Bush', 'Tony Blair'];
  it('accepts an index, a full name in any case, a unique last name', () => {
    expect(resolveTargetClass('2', names)).toBe(2);
    expect(resolveTargetClass('tony blair', names)).toBe(3);
    expect(resolveTargetClass('Powell', names)).toBe(0);
    expect(resolveTargetClass('predicted', names)).toBe('predicted');
  });
  it('rejects an ambiguous last name, an unknown name and an index out of range', () => {
    expect(() => resolveTargetClass('Bush', names)).toThrow(
      /matches George W Bush and Laura Bush — give the full name/,
    );
    expect(() => resolveTargetClass('Chirac', names)).toThrow(UsageError);
    expect(() => resolveTargetClass('4', names)).toThrow(/pass 0..3/);
  });
});

describe('composite parameters', () => {
  it('are checked against the composite before any work', () => {
    expect(() => checkCompositeParameters({ name: 'tutorial', gamma: 0.5, lowest: -1, highest: 1 })).not.toThrow();
    expect(() => checkCompositeParameters({ name: 'epsilon-plus', gamma: 0.5 })).toThrow(
      /--gamma does not apply to the epsilon-plus composite/,
    );
    expect(() => checkCompositeParameters({ name: 'tutorial', lowest: 1, highest: 1 })).toThrow(UsageError);
    // Ranges are the catalogue's (@lrpjs/lrp/catalog): ε ≤ 10.
    expect(() => checkCompositeParameters({ name: 'tutorial', epsilon: 20 })).toThrow(/--epsilon = 20 is outside/);
    expect(() => checkCompositeParameters({ name: 'nope' })).toThrow(/unknown composite 'nope'/);
  });
});

describe('figure layout', () => {
  it('aligns 64- and 150-pixel nets in one column grid', () => {
    expect(tileScaleFor(64)).toBe(2);
    expect(tileScaleFor(150)).toBe(1);
    expect(displayCell([64])).toBe(128);
    expect(displayCell([64, 150])).toBe(150);
  });
});

describe('report from a run folder', () => {
  it('orders the nets, notes skipped ones and tabulates per-person accuracy', () => {
    const dir = tempDir();
    const metrics: RunMetrics = {
      version: 2,
      createdAt: '2025-01-02T03:04:05.000Z',
      backend: 'cpu',
      versions: { lrpjs: '0.1.0', tfjs: '4.22.0', node: process.version },
      settings: { dataHome: '/d', variant: 'deepfunneled', seed: 0, iterations: 10 },
      seconds: { total: 1 },
      classNames: ['Ann A', 'Bob B'],
      nets: {
        net2: {
          description: 'second',
          inputSize: 64,
          trainAccuracy: 1,
          testAccuracy: 0.75,
          curve: [
            { iteration: 0, trainAccuracy: 0.5, testAccuracy: 0.5 },
            { iteration: 10, trainAccuracy: 1, testAccuracy: 0.75 },
          ],
          perClassAccuracy: [1, 0.5],
          confusion: [
            [2, 0],
            [1, 1],
          ],
          modelPath: 'models/net2',
          heatmap: {
            testIndices: [0, 1],
            targets: [1, 0],
            limit: 0.5,
            file: 'heatmaps-net2.png',
            relevanceFile: 'relevance-net2.npy',
          },
        },
      },
      skipped: { net3: 'no weights here' },
    };
    fs.writeFileSync(path.join(dir, 'metrics.json'), JSON.stringify(metrics));
    const data = reportDataFromRun(dir);
    expect(data.nets.map((n) => n.name)).toEqual(['net2', 'net3']);
    expect(data.nets[1].notes).toBe('skipped: no weights here');
    expect(data.nets[0].testAccuracy).toBe(0.75);
    expect(data.imageLabels).toEqual(['B', 'A']);
    const table = data.sections?.[0].table;
    expect(table?.columns).toEqual(['Person', 'test images', 'net2']);
    expect(table?.rows).toEqual([
      ['Ann A', 2, 1],
      ['Bob B', 2, 0.5],
    ]);
    const file = writeReport(dir);
    expect(fs.readFileSync(file, 'utf8')).toContain('no weights here');
  });
  it('orders net names numerically', () => {
    expect(orderNets(['net10', 'zeta', 'net2', 'net1'])).toEqual(['net1', 'net2', 'net10', 'zeta']);
  });
});

describe("composite 'auto'", () => {
  test('keeps the tutorial composite on a plain conv net', () => {
    const plain = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 2, kernelSize: 3 })] });
    expect(resolveComposite({ name: 'auto', gamma: 0.5 }, plain)).toEqual({ name: 'tutorial', gamma: 0.5 });
    plain.dispose();
  });

  test('switches to EpsilonPlus on a net with a residual Add', () => {
    const input = tf.input({ shape: [8, 8, 3] });
    const branch = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor;
    const sum = tf.layers.add().apply([input, branch]) as tf.SymbolicTensor;
    const residual = tf.model({ inputs: input, outputs: sum });
    expect(resolveComposite({ name: 'auto', epsilon: 1e-6 }, residual)).toEqual({
      name: 'epsilon-plus',
      epsilon: 1e-6,
    });
    expect(resolveComposite({ name: 'tutorial' }, residual)).toEqual({ name: 'tutorial' });
    residual.dispose();
  });
});
