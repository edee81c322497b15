/**
 * Conditional relevance against an independent reference: the tutorial's PyTorch LRP with the
 * relevance at chosen layer boundaries masked (test/fixtures/crp/gen_crp_fixture.py, zennit-crp's
 * CondAttribution in a few lines). Channel masks, a region mask and masks at two layers at once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { explain, tutorialComposite, type LayerMask } from '../src';
import { BACKENDS, maxAbs, maxAbsDiff, useBackend } from './helpers/backend';
import { buildOracleModel, nchwToNhwc, type OracleArray, type OracleFixture } from './helpers/oracle';

interface CrpFixture extends OracleFixture {
  plain: OracleArray;
  conditions: {
    masks: { boundary: number; channels: number[]; region: [number, number, number, number] | null }[];
    relevance: OracleArray;
  }[];
}

const fx = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures/crp/crp.json'), 'utf8')) as CrpFixture;

describe.each(BACKENDS)('CRP parity with PyTorch on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it('every condition, both images, one batched call', () => {
    const model = buildOracleModel(fx);
    const x = nchwToNhwc(fx.input) as tf.Tensor4D;
    const { gamma, epsilon, lowest, highest } = fx.rules;
    // boundary b is the output of layer b − 1 (one tfjs layer per PyTorch layer)
    const conditions = fx.conditions.map((c) =>
      c.masks.map((m): LayerMask => ({
        layer: model.layers[m.boundary - 1].name,
        channels: m.channels,
        ...(m.region
          ? { region: { y0: m.region[0], x0: m.region[1], y1: m.region[2], x1: m.region[3], units: 'layer' as const } }
          : {}),
      })),
    );
    const res = explain(model, x, {
      target: fx.target,
      composite: tutorialComposite({ gamma, epsilon, lowest, highest }),
      conditions,
    });
    const count = conditions.length;
    fx.conditions.forEach((c, k) => {
      const expected = nchwToNhwc(c.relevance);
      for (let i = 0; i < 2; i++) {
        const ours = tf.slice(res.relevance, [i * count + k, 0, 0, 0], [1, -1, -1, -1]);
        const want = tf.slice(expected, [i, 0, 0, 0], [1, -1, -1, -1]);
        // a condition can leave an image with no relevance at all; then ours must be zero too
        const scale = Math.max(maxAbs(want), 1e-6 * maxAbs(expected), 1e-12);
        expect(maxAbsDiff(ours, want) / scale).toBeLessThan(1e-3);
        tf.dispose([ours, want]);
      }
      expected.dispose();
    });
    tf.dispose([x, res.relevance, res.output]);
    model.dispose();
  });
});
