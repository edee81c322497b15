/**
 * The zoo table: per model, graph size and op/layer types, ms per image on wasm, conservation ΣR/f(x)
 * and the share of |R| on the face for four LFW photos; heatmaps as PNGs into OUT (default /tmp/lrpjs-zoo).
 * `pnpm --filter @lrpjs/zoo table [-- --models MobileNetV2Mid --composite epsilon-plus]`
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createComposite, explain, importGraphModel, recommendedComposite, isGraphModel } from '@lrpjs/lrp';
import { encodePng, heatmapRow, imageRow, composeGrid } from '@lrpjs/viz';
import { NSFWJS_MODELS, loadNsfwjs, type NsfwjsModelName } from '../src/nsfwjs';
import { FACES, centralShare, loadFaces } from '../src/faces';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

function types(model: tf.LayersModel | tf.GraphModel): { count: number; types: Record<string, number> } {
  const counts: Record<string, number> = {};
  if (isGraphModel(model)) {
    const g = importGraphModel(model);
    for (const l of g.layers) counts[l.className] = (counts[l.className] ?? 0) + 1;
    for (const t of g.owned) t.dispose();
    return { count: g.layers.length, types: counts };
  }
  for (const l of model.layers) counts[l.getClassName()] = (counts[l.getClassName()] ?? 0) + 1;
  return { count: model.layers.length, types: counts };
}

(async () => {
  await tf.setBackend('wasm');
  const out = arg('out', '/tmp/lrpjs-zoo');
  fs.mkdirSync(out, { recursive: true });
  const names = arg('models', Object.keys(NSFWJS_MODELS).join(',')).split(',') as NsfwjsModelName[];
  for (const name of names) {
    const model = await loadNsfwjs(name);
    const size = NSFWJS_MODELS[name].size;
    const x = await loadFaces(FACES, size);
    const compositeName = arg('composite', recommendedComposite(model).name);
    const composite = createComposite(compositeName);
    const first = explain(model, x, { target: 'predicted', composite }); // warm-up: builds caches
    tf.dispose([first.relevance, first.output]);
    const t0 = performance.now();
    const r = explain(model, x, { target: 'predicted', composite });
    const sums = tf.sum(r.relevance, [1, 2, 3]).dataSync();
    const ms = (performance.now() - t0) / x.shape[0];
    const logits = r.output.arraySync();
    const ratios = Array.from(sums, (s, i) => s / logits[i][r.targets[i]]);
    const share = centralShare(r.relevance as tf.Tensor4D);
    const t = types(model);
    console.log(
      JSON.stringify({
        model: name,
        kind: NSFWJS_MODELS[name].kind,
        nodes: t.count,
        types: t.types,
        composite: compositeName,
        msPerImage: Math.round(ms),
        conservation: ratios.map((v) => Number(v.toPrecision(3))),
        centralShare: share.map((v) => Number(v.toFixed(3))),
        targets: Array.from(r.targets),
      }),
    );
    const pixels = x.dataSync();
    const rel = r.relevance.dataSync();
    const grid = composeGrid(
      [imageRow(pixels, x.shape, { tileScale: 1 }), heatmapRow(rel, r.relevance.shape, { tileScale: 1 }).image],
      { columns: 1 },
    );
    fs.writeFileSync(path.join(out, `${name}-${compositeName}.png`), encodePng(grid));
    tf.dispose([x, r.relevance, r.output]);
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
