/**
 * Parity with zennit (the reference PyTorch LRP library) on the same weights: every model × composite
 * of the fixture sets (format: shared/reference/zennit/README.md), input relevance within
 * 1e-3 × max |R| on cpu and wasm. A small set is vendored in test/fixtures/zennit-parity so that a clone
 * tests exactness; the full set outside the repo is also run when present (required with CI=true).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  epsilonAlpha2Beta1,
  epsilonGammaBox,
  epsilonPlus,
  epsilonPlusFlat,
  explain,
  type Composite,
  type EpsilonGammaBoxOptions,
} from '../src';
import { BACKENDS, maxAbs, maxAbsDiff, useBackend } from './helpers/backend';
import { nchwToNhwc } from './helpers/oracle';
import { buildZennitModel, readZennitFixture, zennitDirs, type ZennitComposite } from './helpers/zennit';

function jsonFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(dir, f));
}

const dirs = zennitDirs();
const vendored = jsonFiles(dirs.vendored);
const external = jsonFiles(dirs.external);
if (external.length === 0) {
  const message = `[zennit parity] no fixtures in ${dirs.external} (set ZENNIT_PARITY_DIR or LRPJS_SHARED_DIR)`;
  if (process.env.CI === 'true') throw new Error(`${message}; CI requires them.`);

  console.warn(`${message}: only the vendored set runs.`);
}

function compositeOf(c: ZennitComposite): Composite {
  const options = c.lrpjs.options;
  switch (c.lrpjs.preset) {
    case 'epsilonGammaBox':
      return epsilonGammaBox({
        ...(options as EpsilonGammaBoxOptions),
        gammaForm: c.kind === 'tutorial-gamma' ? 'tutorial' : 'sign-aware',
      });
    case 'epsilonPlus':
      return epsilonPlus();
    case 'epsilonPlusFlat':
      return epsilonPlusFlat();
    case 'epsilonAlpha2Beta1':
      return epsilonAlpha2Beta1();
    default:
      throw new Error(`fixture names an unknown preset ${c.lrpjs.preset}`);
  }
}

const cases = [
  ...vendored.map((f) => ['vendored', f] as const),
  ...external.map((f) => ['shared', f] as const),
].flatMap(([set, file]) => {
  const fx = readZennitFixture(file);
  return Object.keys(fx.composites).map((name) => [`${set}/${fx.name} ${name}`, file, name] as const);
});

describe.each(BACKENDS)('zennit parity on %s', (backend) => {
  beforeAll(() => useBackend(backend));
  const models = new Map<string, tf.LayersModel>();
  afterAll(() => {
    for (const m of models.values()) m.dispose();
  });

  it.each(cases)('%s: input relevance within 1e-3 × max|R|', (_label, file, name) => {
    const fx = readZennitFixture(file);
    let model = models.get(file);
    if (!model) {
      model = buildZennitModel(fx);
      models.set(file, model);
    }
    const c = fx.composites[name];
    const x = nchwToNhwc(fx.input) as tf.Tensor4D;
    const res = explain(model, x, { target: fx.targets, composite: compositeOf(c) });
    const expectedOutput = tf.tensor(fx.output.data, fx.output.shape);
    expect(maxAbsDiff(res.output, expectedOutput)).toBeLessThanOrEqual(1e-4 * maxAbs(expectedOutput));
    const expected = nchwToNhwc(c.relevance);
    const rows = fx.targets.length;
    for (let i = 0; i < rows; i++) {
      const [ours, theirs] = [tf.slice(res.relevance, i, 1), tf.slice(expected, i, 1)];
      const diff = maxAbsDiff(ours, theirs);
      const tolerance = 1e-3 * maxAbs(theirs);
      tf.dispose([ours, theirs]);
      if (!(diff <= tolerance)) {
        throw new Error(`${fx.name} ${name} image ${i}: max |Δ| ${diff} > ${tolerance} (1e-3 × max |R|)`);
      }
    }
    tf.dispose([x, expected, expectedOutput, res.relevance, res.output]);
  });
});
