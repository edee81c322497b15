/**
 * Writes a small run folder in the CLI's layout (CONTRACTS.md "The run folder") with tiny, untrained models, so the
 * explorer can be tested end to end in seconds. Node only.
 */
import * as tf from '@tensorflow/tfjs';
import { spatialDropout2d } from '@lrpjs/models';
import { encodePng } from '@lrpjs/viz';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const TINY_CLASSES = ['Ariel Sharon', 'Colin Powell', 'George W Bush'];

/**
 * conv(5×5, same, ReLU) → max-pool 4 → conv(3×3, same, ReLU) → max-pool 2 → 8×8 valid top conv → flatten: the
 * tutorial's net1 in miniature on 64×64 input, with one middle conv so LRP-γ has a layer to act on. With
 * `dropout`, a SpatialDropout2D (@lrpjs/models' custom layer) before the top conv, as the tutorial's net2: the page
 * must deserialize it.
 */
export function buildTinyNet(seed: number, numClasses = TINY_CLASSES.length, dropout = false): tf.LayersModel {
  const init = (s: number) => tf.initializers.glorotUniform({ seed: seed * 10 + s });
  const bias = (s: number) => tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: seed * 10 + s + 5 });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [64, 64, 3],
        filters: 6,
        kernelSize: 5,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(1),
        biasInitializer: bias(1),
      }),
      tf.layers.maxPooling2d({ poolSize: 4 }),
      tf.layers.conv2d({
        filters: 8,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(2),
        biasInitializer: bias(2),
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      ...(dropout ? [spatialDropout2d({ rate: 0.5 })] : []),
      tf.layers.conv2d({
        filters: numClasses,
        kernelSize: 8,
        padding: 'valid',
        kernelInitializer: init(3),
        biasInitializer: bias(3),
      }),
      tf.layers.flatten(),
    ],
  });
}

/** Saves in the tfjs files format (model.json + weights.bin), as tf.io's file handlers write it. */
export async function saveTfjsModel(
  model: tf.LayersModel,
  dir: string,
  metadata: Record<string, unknown>,
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const json = {
        modelTopology: artifacts.modelTopology,
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
        userDefinedMetadata: { lrpjs: metadata },
      };
      writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
      const data = artifacts.weightData as ArrayBuffer;
      writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(data));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

/** Deterministic face-like test images (size×size×3 in [0, 1]): a lit oval on a gradient, varied per index. */
export function syntheticImages(count: number, size: number, seed = 1): Float32Array[] {
  let s = seed >>> 0;
  const rand = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  return Array.from({ length: count }, () => {
    const img = new Float32Array(size * size * 3);
    const cx = size * (0.4 + 0.2 * rand());
    const cy = size * (0.4 + 0.2 * rand());
    const rx = size * (0.22 + 0.1 * rand());
    const ry = size * (0.3 + 0.1 * rand());
    const tint = [rand(), rand(), rand()];
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const d = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2;
        const face = d < 1 ? 0.55 + 0.35 * (1 - d) : 0;
        for (let c = 0; c < 3; c++) {
          const bg = 0.15 + 0.5 * tint[c] * (x / size) + 0.1 * rand();
          img[(y * size + x) * 3 + c] = Math.min(1, Math.max(0, face > 0 ? face * (0.8 + 0.2 * tint[c]) : bg));
        }
      }
    }
    return img;
  });
}

/** Tiles images row-major into an RGBA atlas, 8-bit (pixels = round(v·255)), as the CLI's gallery atlases. */
export function atlasRgba(
  images: Float32Array[],
  size: number,
  columns: number,
): { width: number; height: number; data: Uint8ClampedArray } {
  const rows = Math.ceil(images.length / columns);
  const width = columns * size;
  const height = rows * size;
  const data = new Uint8ClampedArray(width * height * 4);
  images.forEach((img, k) => {
    const x0 = (k % columns) * size;
    const y0 = Math.floor(k / columns) * size;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const p = ((y0 + y) * width + x0 + x) * 4;
        const q = (y * size + x) * 3;
        data[p] = Math.round(img[q] * 255);
        data[p + 1] = Math.round(img[q + 1] * 255);
        data[p + 2] = Math.round(img[q + 2] * 255);
        data[p + 3] = 255;
      }
    }
  });
  return { width, height, data };
}

export interface TinyRun {
  dir: string;
  nets: string[];
  /** Each net's prediction for each gallery image, computed here in Node on the quantized atlas pixels. */
  predictions: Record<string, number[]>;
  targets: number[];
}

/** Writes runs/<name>/ with two tiny models, a 64-px gallery atlas, gallery.json and metrics.json. */
export async function writeTinyRun(dir: string, options: { count?: number; columns?: number } = {}): Promise<TinyRun> {
  const count = options.count ?? 6;
  const columns = options.columns ?? 3;
  const size = 64;
  mkdirSync(path.join(dir, 'gallery'), { recursive: true });
  const images = syntheticImages(count, size);
  const atlas = atlasRgba(images, size, columns);
  writeFileSync(path.join(dir, 'gallery', `images-${size}.png`), encodePng(atlas));
  // Model input from the 8-bit atlas, as the page computes it: pixel/255·3 − 1.5.
  const quantized = images.map((img) => img.map((v) => Math.round(v * 255) / 255));
  const targets = images.map((_, k) => k % TINY_CLASSES.length);
  const nets = ['net1', 'net2'];
  const predictions: Record<string, number[]> = {};
  const metricsNets: Record<string, unknown> = {};
  for (const [i, net] of nets.entries()) {
    const model = buildTinyNet(i + 1, TINY_CLASSES.length, net === 'net2');
    const x = tf.tidy(() =>
      tf
        .stack(quantized.map((q) => tf.tensor3d(q, [size, size, 3])))
        .mul(3)
        .sub(1.5),
    );
    const logits = model.predict(x) as tf.Tensor;
    predictions[net] = Array.from(await logits.argMax(-1).data());
    tf.dispose([x, logits]);
    await saveTfjsModel(model, path.join(dir, 'models', net), {
      architecture: `tiny-${net}`,
      classNames: TINY_CLASSES,
      inputShape: [size, size, 3],
      normalization: { scale: 3, offset: -1.5 },
    });
    model.dispose();
    const correct = predictions[net].filter((p, k) => p === targets[k]).length;
    const confusion = TINY_CLASSES.map(() => TINY_CLASSES.map(() => 0));
    predictions[net].forEach((p, k) => confusion[targets[k]][p]++);
    metricsNets[net] = {
      description: `tiny test net ${i + 1} (untrained${net === 'net2' ? ', with SpatialDropout2D' : ''})`,
      inputSize: size,
      trainAccuracy: 0.5,
      testAccuracy: correct / count,
      curve: [
        { iteration: 0, trainAccuracy: 0.3, testAccuracy: 0.3 },
        { iteration: 10, trainAccuracy: 0.5, testAccuracy: correct / count },
      ],
      perClassAccuracy: TINY_CLASSES.map(
        (_, c) =>
          confusion[c][c] /
          Math.max(
            1,
            confusion[c].reduce((a, b) => a + b, 0),
          ),
      ),
      confusion,
      modelPath: `models/${net}`,
    };
  }
  writeFileSync(
    path.join(dir, 'gallery', 'gallery.json'),
    JSON.stringify({
      count,
      tile: { [size]: `images-${size}.png` },
      columns,
      testIndices: images.map((_, k) => 2 * k + 1),
      targets,
      classNames: TINY_CLASSES,
      predictions,
    }),
  );
  writeFileSync(
    path.join(dir, 'metrics.json'),
    JSON.stringify({
      version: 1,
      createdAt: new Date().toISOString(),
      backend: 'cpu',
      // every field the run-folder schema (@lrpjs/run) requires of a run the CLI writes
      versions: { lrpjs: '0.0.0-test', tfjs: tf.version.tfjs, node: process.version },
      settings: {
        dataHome: '',
        variant: 'synthetic',
        seed: 0,
        iterations: 10,
        note: 'written by apps/web/test/fixture.ts',
      },
      seconds: {},
      classNames: TINY_CLASSES,
      nets: metricsNets,
      skipped: {},
    }),
  );
  return { dir, nets, predictions, targets };
}
