/**
 * Where EpsilonPlus loses relevance on MobileNetV2 (issue #11): per-layer diagnostics on four LFW photos,
 * summed by layer class and rule, and the same composite with every bias left out of the rules
 * (zennit's `zero_params=['bias']`), which shows how much of the loss the biases take.
 * `node --conditions=source --import tsx scripts/conservation.ts [--models MobileNetV2,MobileNetV2Mid]`
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {
  basicRule,
  composite,
  createComposite,
  epsilon,
  explain,
  inputModifiers,
  paramModifiers,
  stabilize,
  sumOfProducts,
  sumPresent,
  type Composite,
} from '@lrpjs/lrp';
import { NSFWJS_MODELS, loadNsfwjs, type NsfwjsModelName } from '../src/nsfwjs';
import { FACES, loadFaces } from '../src/faces';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const EPS = { epsilon: 1e-6, mode: 'sign' as const };

/** z⁺ as zennit's ZPlus(zero_params=['bias']): no bias term in the denominator. */
const zPlusNoBias = basicRule({
  name: 'zplus-no-bias',
  terms: [
    { input: inputModifiers.positive, params: paramModifiers.positive, bias: false },
    { input: inputModifiers.negative, params: paramModifiers.negative, bias: false },
  ],
  gradientMapper: (r, [p, n]) => {
    const s = tf.div(r, stabilize(sumPresent(p, n)!, EPS));
    return [s, s];
  },
  reducer: (xs, cs) => sumOfProducts(xs, cs),
});

/** ε without the bias in the denominator (LRP-0 on the weights alone, sign-aware ε). */
const epsilonNoBias = basicRule({
  name: 'epsilon-no-bias',
  terms: [{ bias: false }],
  gradientMapper: (r, [z]) => [tf.div(r, stabilize(z!, EPS))],
  reducer: (xs, cs) => sumOfProducts(xs, cs),
});

const noBias: Composite = composite({
  name: 'EpsilonPlus without biases',
  rules: [
    { match: { type: 'conv' }, rule: zPlusNoBias },
    { match: { type: 'dense' }, rule: epsilonNoBias },
    { match: { type: ['avgpool', 'gap'] }, rule: epsilon({ epsilon: 1e-6, mode: 'sign' }) },
  ],
});

(async () => {
  await tf.setBackend('wasm');
  for (const name of arg('models', 'MobileNetV2').split(',') as NsfwjsModelName[]) {
    const model = await loadNsfwjs(name);
    const x = await loadFaces(FACES, NSFWJS_MODELS[name].size);
    for (const [label, c] of [
      ['EpsilonPlus', createComposite('epsilon-plus')],
      ['EpsilonPlus, biases left out', noBias],
    ] as const) {
      const r = explain(model, x, { target: 'predicted', composite: c, diagnostics: true });
      const d = r.diagnostics!;
      // Per layer class and rule: the product over its layers of (Σ R in / Σ R out), geometric mean over images.
      const byKind = new Map<string, { layers: number; logKeep: number }>();
      for (const l of d.layers) {
        const keep = l.relevanceIn.map((v, i) => Math.log(Math.abs(v / l.relevanceOut[i])));
        const mean = keep.reduce((a, b) => a + b, 0) / keep.length;
        const key = `${l.className} / ${l.rule}`;
        const e = byKind.get(key) ?? { layers: 0, logKeep: 0 };
        byKind.set(key, { layers: e.layers + 1, logKeep: e.logKeep + mean });
      }
      console.log(`\n${name}, ${label}: ΣR/f(x) = ${d.ratio.map((v) => v.toPrecision(3)).join(' ')}`);
      for (const [k, v] of [...byKind].sort((a, b) => a[1].logKeep - b[1].logKeep)) {
        if (Math.abs(v.logKeep) > 1e-3)
          console.log(`  ${k}: ${v.layers} layers keep ×${Math.exp(v.logKeep).toPrecision(3)}`);
      }
      const worst = [...d.layers]
        .map((l) => ({ l, keep: l.relevanceIn[0] / l.relevanceOut[0] }))
        .sort((a, b) => a.keep - b.keep)
        .slice(0, 5);
      console.log(
        `  worst single layers (image 0): ${worst.map((w) => `${w.l.name} ×${w.keep.toPrecision(3)}`).join(', ')}`,
      );
      tf.dispose([r.relevance, r.output]);
    }
    x.dispose();
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
