// Node only: the face backbone's weights on disk (the copy shipped in this package, or face-api's).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { FaceApiWeights } from './face-backbone';

const MANIFEST = 'face_recognition_model-weights_manifest.json';

function findUp(start: string, relative: string): string | undefined {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, relative))) return path.join(dir, relative);
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Folder of the embedded weights: env `LRPJS_FACE_WEIGHTS_DIR`, else the copy shipped in this
 * package (src/transfer/assets/face-recognition), else an installed @vladmandic/face-api's model/.
 */
export function defaultFaceWeightsDir(): string {
  if (process.env.LRPJS_FACE_WEIGHTS_DIR) return process.env.LRPJS_FACE_WEIGHTS_DIR;
  const base = typeof __dirname === 'string' ? __dirname : process.cwd();
  for (const relative of [
    path.join('assets', 'face-recognition'),
    path.join('src', 'transfer', 'assets', 'face-recognition'),
    path.join('node_modules', '@lrpjs', 'models', 'src', 'transfer', 'assets', 'face-recognition'),
    path.join('node_modules', '@vladmandic', 'face-api', 'model'),
  ]) {
    const found = findUp(base, path.join(relative, MANIFEST));
    if (found) return path.dirname(found);
  }
  throw new Error(
    `Face backbone weights not found (${MANIFEST} + .bin). Set LRPJS_FACE_WEIGHTS_DIR to a folder holding them (e.g. node_modules/@vladmandic/face-api/model).`,
  );
}

/**
 * Reads face-api's FaceRecognitionNet weights (manifest + .bin, mostly uint8-quantized) and
 * dequantizes them with tfjs' own decoder (value = q·scale + min), as face-api does.
 */
export function readFaceApiWeights(dir: string = defaultFaceWeightsDir()): FaceApiWeights {
  const manifestPath = path.join(dir, MANIFEST);
  if (!fs.existsSync(manifestPath)) throw new Error(`Face backbone manifest not found: ${manifestPath}`);
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as tf.io.WeightsManifestConfig;
  const weights: FaceApiWeights = new Map();
  for (const group of manifest) {
    const buffers = group.paths.map((p) => {
      const bytes = fs.readFileSync(path.join(dir, p));
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    });
    const total = buffers.reduce((s, b) => s + b.byteLength, 0);
    const joined = new Uint8Array(total);
    let offset = 0;
    for (const b of buffers) {
      joined.set(new Uint8Array(b), offset);
      offset += b.byteLength;
    }
    const tensors = tf.io.decodeWeights(joined.buffer, group.weights);
    for (const [name, t] of Object.entries(tensors)) {
      weights.set(name, { shape: [...t.shape], values: Float32Array.from(t.dataSync() as Float32Array) });
      t.dispose();
    }
  }
  return weights;
}
