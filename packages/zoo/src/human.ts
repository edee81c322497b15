import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

/**
 * GraphModels from @vladmandic/human's `models/` folder (model.json + one .bin each), with the input
 * each expects: emotion takes a 64×64 grey face scaled to [-1, 1] (human's own preprocessing);
 * antispoof a 128×128 RGB face in [0, 1] and ends in a sigmoid.
 */
export const HUMAN_MODELS = {
  emotion: { size: 64, grey: true, range: [-1, 1] as [number, number], final: 'softmax' },
  antispoof: { size: 128, grey: false, range: [0, 1] as [number, number], final: 'sigmoid' },
} as const;
export type HumanModelName = keyof typeof HUMAN_MODELS;

const requireHere = createRequire(__filename);

function modelsDir(): string {
  // The package's "exports" map hides its files: its main entry lies in dist/.
  let dir = path.dirname(requireHere.resolve('@vladmandic/human'));
  while (!fs.existsSync(path.join(dir, 'models')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, 'models');
}

/** Loads one of human's GraphModels from node_modules (no network). */
export async function loadHuman(name: HumanModelName): Promise<tf.GraphModel> {
  const dir = modelsDir();
  const json = JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as tf.io.ModelJSON;
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const data = Buffer.concat(
    json.weightsManifest.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p)))),
  );
  return tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      format: json.format,
      weightSpecs: specs,
      weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength),
    }),
  );
}

/**
 * Photos (RGB in [0, 1]) as the model's input: the face box [top, left, bottom, right] (fractions)
 * cropped and resized, as human does after its face detector; for emotion then grey and ×2 − 1.
 */
export function humanInput(
  name: HumanModelName,
  rgb: tf.Tensor4D,
  box: [number, number, number, number] = [0.2, 0.2, 0.8, 0.8],
): tf.Tensor4D {
  const spec = HUMAN_MODELS[name];
  return tf.tidy(() => {
    const n = rgb.shape[0];
    const boxes = tf.tensor2d(Array.from({ length: n }, () => box));
    const indices = tf.tensor1d(
      Array.from({ length: n }, (_, i) => i),
      'int32',
    );
    const resized = tf.image.cropAndResize(rgb, boxes, indices, [spec.size, spec.size]);
    if (!spec.grey) return resized;
    const grey = tf.sum(tf.mul(resized, tf.tensor1d([0.2989, 0.587, 0.114])), 3, true);
    return tf.mul(tf.sub(grey, 0.5), 2) as tf.Tensor4D;
  });
}
