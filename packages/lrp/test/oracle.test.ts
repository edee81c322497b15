/**
 * Exactness against the tutorial's own PyTorch LRP: every fixture in test/fixtures/lrp-oracle (vendored)
 * and in LRP_ORACLE_DIR (default <repo>/../shared/fixtures/lrp-oracle; required with CI=true) holds a
 * network, inputs, targets and the relevance at every layer boundary; the tutorial composite must
 * reproduce each within 1e-3 × max |R| of that boundary.
 */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { explain, tutorialComposite } from '../src';
import { BACKENDS, maxAbs, maxAbsDiff, useBackend } from './helpers/backend';
import {
  buildOracleModel,
  listFixtures,
  nchwToNhwc,
  oracleDir,
  readFixture,
  vendoredOracleDir,
} from './helpers/oracle';

const external = listFixtures();
if (external.length === 0) {
  const message = `[lrp oracle] no *.json fixtures in ${oracleDir()} (set LRP_ORACLE_DIR or LRPJS_SHARED_DIR)`;
  if (process.env.CI === 'true') throw new Error(`${message}; CI requires them.`);

  console.warn(`${message}: only the vendored set runs.`);
}
const files = [
  ...listFixtures(vendoredOracleDir()).map((f) => [`vendored/${path.basename(f)}`, f]),
  ...external.map((f) => [`shared/${path.basename(f)}`, f]),
];

describe.each(BACKENDS)('oracle fixtures on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(files)('%s: relevance at every layer boundary', (_name, file) => {
    const fx = readFixture(file);
    const model = buildOracleModel(fx);
    const x = nchwToNhwc(fx.input) as tf.Tensor4D;
    const { gamma, epsilon, lowest, highest } = fx.rules;
    const res = explain(model, x, {
      target: fx.target,
      composite: tutorialComposite({ gamma, epsilon, lowest, highest }),
      returnLayers: true,
    });
    const expectedOutput = tf.tensor2d(fx.output.data, [fx.output.shape[0], fx.output.shape[1]]);
    expect(maxAbsDiff(res.output, expectedOutput)).toBeLessThanOrEqual(1e-4 * maxAbs(expectedOutput));
    expect(res.layers).toHaveLength(fx.relevance.length + 1); // + the Flatten after the top conv
    fx.relevance.forEach((r, boundary) => {
      const expected = nchwToNhwc(r);
      const ours = tf.reshape(res.layers![boundary].relevance, expected.shape);
      const tolerance = 1e-3 * maxAbs(expected);
      const diff = maxAbsDiff(ours, expected);
      if (diff > tolerance) {
        throw new Error(
          `${fx.name} boundary ${boundary} (${res.layers![boundary].name}): max |diff| ${diff} > ${tolerance}`,
        );
      }
      tf.dispose([expected, ours]);
    });
    expect(maxAbsDiff(res.relevance, res.layers![0].relevance)).toBe(0);
    tf.dispose([x, expectedOutput, res.relevance, res.output, ...res.layers!.map((l) => l.relevance)]);
    model.dispose();
  });
});
