import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ChannelAffine } from '../layers/channel-affine';
import { downloadFile, hashFile, resolveDataHome, type TransferProgress, WeightsUnavailableError } from './download';
import { readKerasH5Weights } from './hdf5';
import { vggCaffePreprocessing } from './preprocessing';

/** The canonical Keras applications file with ImageNet VGG-16 conv weights ("notop"). */
export const VGG16_NOTOP_WEIGHTS = {
  fileName: 'vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5',
  url: 'https://storage.googleapis.com/tensorflow/keras-applications/vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5',
  /** Keras' published `file_hash` (md5) in keras/applications/vgg16.py. */
  md5: '6d6bbae143d832006294945121d1f1fc',
  bytes: 58_889_256,
} as const;

/**
 * The tutorial's `vgg16.features[:17]`: Keras names, 3×3 same-padded convs with ReLU and 2×2 max-pools,
 * down to block3_pool (256 × H/8 × W/8).
 */
export const VGG16_FEATURE_LAYERS = [
  { name: 'block1_conv1', filters: 64 },
  { name: 'block1_conv2', filters: 64 },
  { name: 'block1_pool' },
  { name: 'block2_conv1', filters: 128 },
  { name: 'block2_conv2', filters: 128 },
  { name: 'block2_pool' },
  { name: 'block3_conv1', filters: 256 },
  { name: 'block3_conv2', filters: 256 },
  { name: 'block3_conv3', filters: 256 },
  { name: 'block3_pool' },
] as const satisfies readonly { name: string; filters?: number }[];

/** Conv weights by Keras layer name: kernel HWIO `[3, 3, in, out]` (row-major) and bias `[out]`. */
export type Vgg16Weights = Record<string, { kernel: Float32Array; bias: Float32Array }>;

/** Expected `[3, 3, in, out]` kernel shapes of the convs we use. */
export function vgg16KernelShapes(): Map<string, [number, number, number, number]> {
  const shapes = new Map<string, [number, number, number, number]>();
  let channels = 3;
  for (const layer of VGG16_FEATURE_LAYERS) {
    if ('filters' in layer) {
      shapes.set(layer.name, [3, 3, channels, layer.filters]);
      channels = layer.filters;
    }
  }
  return shapes;
}

/**
 * Reads the VGG-16 conv weights our feature layers need (block1_conv1 … block3_conv3) from a Keras
 * HDF5 weights file (path or bytes); other layers in the file (block4/5) are ignored.
 */
export async function loadVgg16Weights(source: string | Uint8Array): Promise<Vgg16Weights> {
  if (typeof source === 'string' && !fs.existsSync(source)) {
    throw new Error(`VGG-16 weights file not found: ${source}`);
  }
  const what = typeof source === 'string' ? source : 'VGG-16 weights data';
  // An HDF5 file that is not Keras weights at all is, for this purpose, simply missing every VGG-16 layer.
  const layers = await readKerasH5Weights(source, what).catch((err: Error) => {
    if (err.message.includes('not a Keras weights file')) return new Map<string, never>();
    throw err;
  });
  const weights: Vgg16Weights = {};
  for (const [name, shape] of vgg16KernelShapes()) {
    const found = layers.get(name);
    if (!found) {
      throw new Error(
        `${what} is not VGG-16 notop weights (missing layer ${name}; it has ${
          [...layers.keys()].join(', ') || 'no Keras layers'
        }); pass ${VGG16_NOTOP_WEIGHTS.fileName}`,
      );
    }
    const kernel = found.find((w) => w.shape.length === 4);
    const bias = found.find((w) => w.shape.length === 1);
    if (!kernel || !bias || kernel.shape.join() !== shape.join() || bias.shape[0] !== shape[3]) {
      const got = found.map((w) => `${w.name} [${w.shape}]`).join(', ');
      throw new Error(
        `VGG-16 weights: ${name} has ${got}; expected kernel [${shape}] and bias [${shape[3]}] (TensorFlow "tf_dim_ordering_tf_kernels" layout)`,
      );
    }
    weights[name] = { kernel: kernel.values, bias: bias.values };
  }
  return weights;
}

export interface Vgg16WeightsFileOptions {
  /** A weights file the user supplies (CLI `--vgg16-weights PATH`); used as is, never downloaded. */
  weightsPath?: string;
  /** Data home; the file is cached at `<dataHome>/models/<fileName>`. Default as {@link resolveDataHome}. */
  dataHome?: string;
  /** Download when not cached. Default true. */
  download?: boolean;
  /** Source URL. Default {@link VGG16_NOTOP_WEIGHTS}.url. */
  url?: string;
  /** Expected md5; `null` skips verification. Default {@link VGG16_NOTOP_WEIGHTS}.md5. */
  md5?: string | null;
  onProgress?: (p: TransferProgress) => void;
  /** Injected fetch (tests). */
  fetch?: typeof fetch;
}

/** Where the cached VGG-16 weights live in a data home. */
export function vgg16WeightsCachePath(dataHome?: string): string {
  return path.join(resolveDataHome(dataHome), 'models', VGG16_NOTOP_WEIGHTS.fileName);
}

/**
 * Finds the VGG-16 weights file: the user's path, else the cached copy in the data home (its md5
 * verified), else downloads it there (progress, md5, atomic write). Throws a
 * {@link WeightsUnavailableError} saying where to put the file when it cannot be had.
 */
export async function resolveVgg16WeightsFile(options: Vgg16WeightsFileOptions = {}): Promise<string> {
  if (options.weightsPath) {
    if (!fs.existsSync(options.weightsPath)) {
      throw new WeightsUnavailableError(`VGG-16 weights file not found: ${options.weightsPath} (--vgg16-weights)`);
    }
    return path.resolve(options.weightsPath);
  }
  const dest = vgg16WeightsCachePath(options.dataHome);
  const md5 = options.md5 === undefined ? VGG16_NOTOP_WEIGHTS.md5 : options.md5;
  if (fs.existsSync(dest)) {
    options.onProgress?.({ stage: 'verify', done: 0, total: 1 });
    if (!md5 || (await hashFile(dest, 'md5')) === md5) return dest;
    if (options.download === false) {
      throw new WeightsUnavailableError(
        `VGG-16 weights at ${dest} fail the md5 check (expected ${md5}); delete the file or replace it`,
      );
    }
  }
  const url = options.url ?? VGG16_NOTOP_WEIGHTS.url;
  const howToFix = `put ${VGG16_NOTOP_WEIGHTS.fileName} (md5 ${VGG16_NOTOP_WEIGHTS.md5}, from ${VGG16_NOTOP_WEIGHTS.url}) at ${dest}, or pass --vgg16-weights PATH`;
  if (options.download === false) {
    throw new WeightsUnavailableError(`VGG-16 weights not found and downloading is off: ${howToFix}`);
  }
  try {
    return await downloadFile({
      url,
      dest,
      hash: md5 ? { algorithm: 'md5', hex: md5 } : undefined,
      onProgress: options.onProgress,
      stage: 'download vgg16 weights',
      fetch: options.fetch,
    });
  } catch (err) {
    const reason =
      (err as Error & { cause?: { code?: string; message?: string } }).cause?.code ?? (err as Error).message;
    throw new WeightsUnavailableError(`VGG-16 weights could not be downloaded (${reason}): ${howToFix}`, {
      cause: err,
    });
  }
}

export interface Vgg16FeaturesOptions {
  /** Height and width of the (square) input; a multiple of 8. Default 64 (the tutorial's), giving 8×8×256. */
  inputSize?: number;
  /** ImageNet weights from {@link loadVgg16Weights}; default: random (torchvision's init, He-normal fan-out, zero bias). */
  weights?: Vgg16Weights | null;
  /** Seed of the random initialization. Default 0. */
  seed?: number;
  /** Model name. Default `'vgg16_features'`. */
  name?: string;
}

/**
 * The tutorial's VGG-17 feature extractor as a Sequential model with the tutorial's input
 * (`[N, s, s, 3]`, RGB, pixel*3-1.5): a {@link ChannelAffine} to Keras' caffe input (BGR, 0..255,
 * ImageNet mean subtracted), then block1_conv1 … block3_pool. Output `[N, s/8, s/8, 256]`.
 */
export function buildVgg16Features(options: Vgg16FeaturesOptions = {}): tf.Sequential {
  const inputSize = options.inputSize ?? 64;
  if (!Number.isInteger(inputSize) || inputSize < 8 || inputSize % 8 !== 0) {
    throw new Error(
      `buildVgg16Features: inputSize must be a positive multiple of 8 (three 2×2 pools), got ${inputSize}`,
    );
  }
  const seed = options.seed ?? 0;
  const model = tf.sequential({ name: options.name ?? 'vgg16_features' });
  model.add(
    new ChannelAffine({ inputShape: [inputSize, inputSize, 3], name: 'caffe_preprocess', ...vggCaffePreprocessing() }),
  );
  let index = 0;
  for (const layer of VGG16_FEATURE_LAYERS) {
    if ('filters' in layer) {
      index += 1;
      model.add(
        tf.layers.conv2d({
          name: layer.name,
          filters: layer.filters,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          // torchvision's VGG init: kaiming_normal_(mode='fan_out', nonlinearity='relu'), bias 0.
          kernelInitializer: tf.initializers.randomNormal({
            mean: 0,
            stddev: Math.sqrt(2 / (9 * layer.filters)),
            seed: seed * 101 + index,
          }),
          biasInitializer: 'zeros',
        }),
      );
    } else {
      model.add(tf.layers.maxPooling2d({ name: layer.name, poolSize: 2, strides: 2 }));
    }
  }
  if (options.weights) setVgg16Weights(model, options.weights);
  return model;
}

/** Copies {@link Vgg16Weights} into a model built by {@link buildVgg16Features}. */
export function setVgg16Weights(model: tf.LayersModel, weights: Vgg16Weights): void {
  for (const [name, shape] of vgg16KernelShapes()) {
    const w = weights[name];
    if (!w) throw new Error(`setVgg16Weights: weights for ${name} missing`);
    const values = tf.tidy(() => [tf.tensor4d(w.kernel, shape), tf.tensor1d(w.bias)]);
    model.getLayer(name).setWeights(values);
    tf.dispose(values);
  }
}
