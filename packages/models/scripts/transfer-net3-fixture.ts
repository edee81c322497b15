/**
 * The whole net3 path without network access: a fixture HDF5 with the keras.applications layout
 * (real block1..block3 shapes, synthetic values) is served from 127.0.0.1, downloaded into a scratch
 * data home (progress, md5, atomic write), read with h5wasm, and used as the VGG-17 feature extractor
 * on the real LFW subset; logistic regression → top conv → net3 → accuracy → LRP on test images 0..7.
 *
 *   node --conditions=source --import tsx scripts/transfer-net3-fixture.ts [--data-home /work/shared/data] [--limit 0]
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadLfwPeople, normalizeTutorial, splitTutorial, TUTORIAL_LFW_OPTIONS } from '@lrpjs/data';
import { selectBackend } from '../src/backend/select';
import { buildNet3, buildVgg16Features, extractFeatures, fitTransferHead } from '../src/transfer';
import { loadVgg16Weights, resolveVgg16WeightsFile } from '../src/node';
import { getH5Runtime } from '../src/transfer/hdf5';
import { writeVggFixture } from '../test/transfer/vgg-fixture';
import { accuracy, arg, cpuSeconds, seconds } from './script-util';

async function main() {
  const backend = await selectBackend({ backend: 'wasm' });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lrpjs-net3-fixture-'));
  const fixture = path.join(tmp, 'fixture-notop.h5');
  await writeVggFixture(fixture);
  const body = fs.readFileSync(fixture);
  const md5 = createHash('md5').update(body).digest('hex');
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/vgg16_notop.h5`;
  let lastPct = -1;
  const file = await resolveVgg16WeightsFile({
    dataHome: path.join(tmp, 'home'),
    url,
    md5,
    onProgress: ({ stage, done, total }) => {
      const pct = total ? Math.floor((100 * done) / total) : 0;
      if (pct >= lastPct + 25) {
        lastPct = pct;
        console.log(`  ${stage}: ${done}/${total} bytes`);
      }
    },
  });
  server.close();
  const rt = await getH5Runtime();
  console.log(
    `fixture (${body.length} bytes, md5 ${md5}) → ${file}; h5wasm ${
      rt.hostFs ? 'Node build (host FS)' : 'IIFE build (memory FS)'
    }`,
  );

  const weights = await loadVgg16Weights(file);
  const features = buildVgg16Features({ inputSize: 64, weights });
  const ds = await loadLfwPeople({
    ...TUTORIAL_LFW_OPTIONS,
    variant: 'deepfunneled',
    dataHome: arg('data-home', '/work/shared/data'),
  });
  let { train, test } = splitTutorial(ds);
  const limit = Number(arg('limit', '0'));
  if (limit > 0) {
    const cut = (d: typeof train) => ({
      ...d,
      images: d.images.subarray(0, limit * 64 * 64 * 3),
      targets: d.targets.subarray(0, limit),
      shape: [limit, 64, 64, 3] as [number, number, number, number],
    });
    train = cut(train);
    test = cut(test);
  }
  let t0 = performance.now();
  const c0 = process.cpuUsage();
  const labelled = (set: typeof train) => ({
    values: normalizeTutorial(set.images),
    shape: set.shape,
    targets: set.targets,
  });
  const {
    model: net3,
    head,
    evaluation,
    seconds: took,
  } = await fitTransferHead(features, { train: labelled(train) }, { build: (h) => buildNet3({ features, head: h }) });
  console.log(
    `features in ${took.features.toFixed(1)} s wall, logistic regression ${took.head.toFixed(1)} s (${head.iterations} iterations), ${cpuSeconds(c0).toFixed(1)} s CPU on ${backend}; train ${evaluation.train.accuracy.toFixed(3)}`,
  );

  // The test set through the built net3 end to end (not through the head), so the conversion is checked too.
  t0 = performance.now();
  const xTest = normalizeTutorial(test.images);
  const logits = await extractFeatures(net3, { values: xTest, shape: test.shape }, { batchSize: 32 });
  const pred = tf.tidy(() => tf.argMax(logits, 1));
  console.log(`net3 test accuracy ${accuracy(pred.dataSync(), test.targets).toFixed(3)} (${seconds(t0).toFixed(1)} s)`);
  tf.dispose([logits, pred]);

  fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
