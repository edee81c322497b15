/** Human GraphModels on four LFW face crops: recommended composite, ms per image on wasm, ΣR/f(x); PNGs into /tmp/lrpjs-zoo. */
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createComposite, explain, recommendedComposite } from '@lrpjs/lrp';
import { composeGrid, encodePng, heatmapRow, imageRow } from '@lrpjs/viz';
import { humanInput, loadHuman } from '../src/human';
import { FACES, loadFaces } from '../src/faces';
(async () => {
  await tf.setBackend('wasm');
  fs.mkdirSync('/tmp/lrpjs-zoo', { recursive: true });
  for (const name of ['emotion', 'antispoof'] as const) {
    const model = await loadHuman(name);
    const rgb = await loadFaces(FACES, 160);
    const x = humanInput(name, rgb);
    const c = recommendedComposite(model).name;
    const t0 = performance.now();
    const r = explain(model, x, {
      target: 'predicted',
      composite: createComposite(
        c,
        c === 'tutorial' || c === 'epsilon-gamma-box' ? { low: name === 'emotion' ? -1 : 0, high: 1 } : {},
      ),
    });
    const ms = (performance.now() - t0) / 4;
    const sums = tf.sum(r.relevance, [1, 2, 3]).dataSync();
    const out = r.output.arraySync() as number[][];
    console.log(
      name,
      c,
      'ms/img (incl. cache build)',
      ms.toFixed(0),
      'ΣR/f',
      Array.from(sums, (s, i) => (s / out[i][r.targets[i]]).toPrecision(3)).join(' '),
      'targets',
      Array.from(r.targets).join(' '),
    );
    const shown = name === 'emotion' ? tf.tile(tf.add(tf.mul(x, 0.5), 0.5), [1, 1, 1, 3]) : x;
    const grid = composeGrid(
      [
        imageRow(shown.dataSync(), shown.shape, { tileScale: 2 }),
        heatmapRow(r.relevance.dataSync(), r.relevance.shape, { tileScale: 2 }).image,
      ],
      { columns: 1 },
    );
    fs.writeFileSync(`/tmp/lrpjs-zoo/human-${name}-${c}.png`, encodePng(grid));
  }
})();
