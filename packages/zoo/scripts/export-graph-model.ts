/**
 * Writes nsfwjs's MobileNetV2Mid GraphModel as a plain tfjs-converter folder (model.json + weights.bin),
 * e.g. to try `lrpjs explain --model DIR --images face.jpg`. Usage: export-graph-model.ts OUT_DIR
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nsfwjsArtifacts } from '../src/nsfwjs';

const out = process.argv[2];
if (!out) throw new Error('usage: export-graph-model.ts OUT_DIR');
const a = nsfwjsArtifacts('MobileNetV2Mid');
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, 'weights.bin'), new Uint8Array(a.weightData as ArrayBuffer));
fs.writeFileSync(
  path.join(out, 'model.json'),
  JSON.stringify({
    format: 'graph-model',
    modelTopology: a.modelTopology,
    weightsManifest: [{ paths: ['./weights.bin'], weights: a.weightSpecs }],
  }),
);
console.log(`wrote ${out}/model.json and weights.bin`);
