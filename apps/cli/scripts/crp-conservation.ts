/**
 * Measures Concept Relevance Propagation's conservation on trained nets of a run folder: the
 * conditional heatmaps of all channels of a layer against the plain heatmap (same composite, the
 * model's recommended one), on test images.
 *
 *   node --conditions=source --import tsx scripts/crp-conservation.ts RUN NET LAYER [IMAGES] --data-home D
 */
import * as lrp from '@lrpjs/lrp';
import * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import { initBackend } from '../src/backend';
import { loadTutorialDataset } from '../src/dataset';
import { pick } from '../src/render';
import { loadSavedModel, modelInputSize, normalizeFor } from '../src/saved-model';
import { Progress } from '../src/progress';

async function main() {
  const args = process.argv.slice(2);
  const home = args.indexOf('--data-home');
  const dataHome = home >= 0 ? args.splice(home, 2)[1] : '/work/shared/data';
  const [run, net, layer, count = '1'] = args;
  await initBackend('auto');
  const loaded = await loadSavedModel(path.join(run, 'models', net));
  const model = loaded.model;
  const size = modelInputSize(loaded);
  const data = await loadTutorialDataset(
    { dataHome, variant: 'deepfunneled', download: false, size },
    new Progress({ mode: 'silent' }),
  );
  const indices = Array.from({ length: Number(count) }, (_, i) => i);
  const { pixels, shape } = pick(data.test, indices);
  const x = tf.tensor4d(normalizeFor(loaded, pixels), shape);
  const rec = lrp.recommendedComposite(model);
  const composite = lrp.createComposite(rec.name, rec.params);
  const target = indices.map((i) => data.test.targets[i]);
  const k = (model.getLayer(layer).outputShape as number[]).slice(-1)[0];
  const start = performance.now();
  const plain = lrp.explain(model, x, { target, composite });
  const cond = lrp.conceptHeatmaps(model, x, {
    target,
    layer,
    channels: Array.from({ length: k }, (_, c) => c),
    composite,
  });
  const seconds = (performance.now() - start) / 1000;
  const [err, totalErr, maxR] = tf.tidy(() => {
    const sum = tf.sum(tf.reshape(cond.relevance, [shape[0], k, ...shape.slice(1)]), 1);
    const maxR = tf.max(tf.abs(plain.relevance)).dataSync()[0];
    const err = tf.max(tf.abs(tf.sub(sum, plain.relevance))).dataSync()[0] / maxR;
    const t = tf.sum(plain.relevance, [1, 2, 3]);
    const totalErr = tf.max(tf.abs(tf.sub(tf.sum(sum, [1, 2, 3]), t)).div(tf.abs(t))).dataSync()[0];
    return [err, totalErr, maxR];
  });
  process.stdout.write(
    `${net} ${layer} (${k} channels), ${shape[0]} test image(s), composite ${rec.name}: ` +
      `max |Σ_c R_c − R| / max |R| = ${err.toExponential(2)}, |Σ totals − total| / |total| = ${totalErr.toExponential(2)} ` +
      `(max |R| ${maxR.toPrecision(3)}), ${seconds.toFixed(1)} s for plain + ${k} conditional heatmaps\n`,
  );
  tf.dispose([x, plain.relevance, plain.output, cond.relevance, cond.output]);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
