// Node only: the VGG-16 weights file (read, cache, download). Building the network is in ./vgg16.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { downloadFile, hashFile, resolveDataHome, type TransferProgress, WeightsUnavailableError } from './download';
import { readKerasH5Weights } from './hdf5';
import { VGG16_NOTOP_WEIGHTS, vgg16KernelShapes, type Vgg16Weights } from './vgg16';

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
