/**
 * ΣR / f(x) of net4 (the face backbone + a logistic-regression head) under each composite, with
 * explain's per-layer diagnostics: where relevance is absorbed. Three LFW faces from @lrpjs/models'
 * test fixtures, head fitted on their descriptors.
 *
 *   node --conditions=source --import tsx scripts/net4-conservation.ts
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createComposite, epsilonGammaBox, explain, type Composite } from '@lrpjs/lrp';
import { buildFaceBackbone, buildNet4, fitLogisticRegression, selectBackend } from '@lrpjs/models';
import { readFaceApiWeights } from '@lrpjs/models/node';

async function main(): Promise<void> {
  await selectBackend({ backend: 'wasm' });
  const file = path.resolve(__dirname, '../../../packages/models/test/transfer/fixtures/lfw-faces-3x150x150x3.u8');
  const pixels = tf.tensor4d(Float32Array.from(fs.readFileSync(file)), [3, 150, 150, 3]);
  const x = tf.tidy(() => tf.sub(tf.mul(tf.div(pixels, 255), 3), 1.5) as tf.Tensor4D);
  const backbone = buildFaceBackbone({ weights: readFaceApiWeights() });
  const d = backbone.predict(x) as tf.Tensor2D;
  const head = await fitLogisticRegression(d, [0, 1, 2]);
  d.dispose();
  const net4 = buildNet4({ backbone, head });
  const cases: [string, Composite][] = [
    ['EpsilonGammaBox, tutorial γ (before)', epsilonGammaBox({ gammaForm: 'tutorial' })],
    ['EpsilonGammaBox, zennit γ (after)', createComposite('epsilon-gamma-box')],
    ['EpsilonPlus', createComposite('epsilon-plus')],
    ['tutorial', createComposite('tutorial')],
  ];
  for (const [label, composite] of cases) {
    const t0 = performance.now();
    try {
      // divergenceLimit: Infinity — the diverging 'before' ratios are what this script shows.
      const res = explain(net4, x, { target: [0, 1, 2], composite, diagnostics: true, divergenceLimit: Infinity });
      const dg = res.diagnostics!;
      const absorbed = dg.layers
        .map((l) => ({ name: l.name, a: l.absorbed.reduce((s, v) => s + Math.abs(v), 0) }))
        .sort((p, q) => q.a - p.a)
        .slice(0, 3)
        .map((l) => `${l.name} ${l.a.toExponential(2)}`);
      const ratio = dg.ratio.map((r) => r.toPrecision(3)).join(', ');
      const f = dg.start.map((r) => r.toFixed(3)).join(', ');
      console.log(
        `${label}: f(x) = [${f}], ΣR/f(x) = [${ratio}] (${((performance.now() - t0) / 1000).toFixed(1)} s); most absorbed: ${absorbed.join('; ')}`,
      );
      tf.dispose([res.relevance, res.output]);
    } catch (e) {
      console.log(`${label}: ${(e as Error).message}`);
    }
  }
  tf.dispose([pixels, x]);
  net4.dispose();
}

void main();
