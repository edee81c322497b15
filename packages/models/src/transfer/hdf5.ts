import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Dataset, File as H5File, Group } from 'h5wasm';

/** The part of h5wasm's API we use (identical in its Node build and its self-contained IIFE build). */
interface H5Api {
  File: typeof H5File;
  Group: typeof Group;
  Dataset: typeof Dataset;
  ready: Promise<{ FS: EmscriptenFs }>;
}
interface EmscriptenFs {
  writeFile(path: string, data: Uint8Array): void;
  readFile(path: string): Uint8Array;
  unlink(path: string): void;
}

/** h5wasm, ready to use; `hostFs`: it reads host paths directly (Node build) rather than an in-memory FS. */
export interface H5Runtime {
  api: H5Api;
  fs: EmscriptenFs;
  hostFs: boolean;
}

let runtime: Promise<H5Runtime> | undefined;

// A dynamic import that neither SWC/Jest nor tsup rewrites into require(): h5wasm ships ESM only.
const nativeImport = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<unknown>;

function findUp(start: string, relative: string): string | undefined {
  let dir = start;
  for (;;) {
    const candidate = path.join(dir, relative);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

async function loadRuntime(): Promise<H5Runtime> {
  try {
    const mod = (await nativeImport('h5wasm/node')) as { default?: H5Api } & H5Api;
    const api = mod.default ?? mod;
    const { FS } = await api.ready;
    return { api, fs: FS, hostFs: true };
  } catch (nativeError) {
    // Jest's module sandbox cannot import ES modules: evaluate h5wasm's self-contained IIFE build
    // (same library, in-memory file system) in this realm instead.
    const base = typeof __dirname === 'string' ? __dirname : process.cwd();
    const iife = findUp(base, path.join('node_modules', 'h5wasm', 'dist', 'iife', 'h5wasm.js'));
    if (!iife) {
      throw new Error(
        `Cannot load h5wasm (HDF5 reader): ${
          (nativeError as Error).message
        }. Install it next to @lrpjs/models (npm i h5wasm).`,
      );
    }
    const api = new Function(`${fs.readFileSync(iife, 'utf8')}\nreturn h5wasm;`)() as H5Api;
    const { FS } = await api.ready;
    return { api, fs: FS, hostFs: false };
  }
}

/** Loads h5wasm once per process (its WebAssembly module takes ~0.1 s to start). */
export function getH5Runtime(): Promise<H5Runtime> {
  runtime ??= loadRuntime().catch((err) => {
    runtime = undefined;
    throw err;
  });
  return runtime;
}

let scratchCounter = 0;

/** `\x89HDF\r\n\x1a\n`: the format signature that starts an HDF5 superblock. */
const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Whether the bytes hold an HDF5 superblock where the format allows one: at 0, 512, 1024, 2048, … (after a user
 * block). Checked before the HDF5 library sees a file, which on anything else prints pages of HDF5-DIAG noise.
 */
function hasHdf5Signature(size: number, readAt: (offset: number) => Uint8Array): boolean {
  for (let offset = 0; offset + HDF5_SIGNATURE.length <= size; offset = offset === 0 ? 512 : offset * 2) {
    const head = readAt(offset);
    if (HDF5_SIGNATURE.every((b, i) => head[i] === b)) return true;
  }
  return false;
}

function isHdf5(source: string | Uint8Array): boolean {
  if (typeof source !== 'string') return hasHdf5Signature(source.length, (o) => source.subarray(o, o + 8));
  const fd = fs.openSync(source, 'r');
  try {
    const buf = new Uint8Array(8);
    return hasHdf5Signature(fs.fstatSync(fd).size, (o) => (fs.readSync(fd, buf, 0, 8, o), buf));
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Opens an HDF5 file (a host path or its bytes) read-only, runs `body`, and closes it again.
 * On an in-memory FS the bytes are copied in and removed afterwards. `name` stands for the source in errors
 * (default: the path, or "HDF5 data"); every error thrown names it.
 */
export async function withH5File<T>(
  source: string | Uint8Array,
  body: (file: H5File, api: H5Api) => T,
  name: string = typeof source === 'string' ? source : 'HDF5 data',
): Promise<T> {
  let signed: boolean;
  try {
    signed = isHdf5(source);
  } catch (err) {
    throw new Error(`cannot read ${name} (${(err as Error).message})`);
  }
  if (!signed) {
    throw new Error(`${name} is not an HDF5 file (no HDF5 signature); pass a Keras .h5 weights file`);
  }
  try {
    return await openAndRun(source, body);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (message.includes(name)) throw err;
    throw new Error(`${name}: ${message}`);
  }
}

async function openAndRun<T>(source: string | Uint8Array, body: (file: H5File, api: H5Api) => T): Promise<T> {
  const rt = await getH5Runtime();
  let name: string;
  let cleanup = (): void => {};
  if (typeof source === 'string' && rt.hostFs) {
    name = path.resolve(source);
  } else {
    const bytes = typeof source === 'string' ? fs.readFileSync(source) : source;
    scratchCounter += 1;
    name = rt.hostFs
      ? path.join(os.tmpdir(), `lrpjs-h5-${process.pid}-${scratchCounter}.h5`)
      : `/lrpjs-h5-${scratchCounter}.h5`;
    if (rt.hostFs) fs.writeFileSync(name, bytes);
    else rt.fs.writeFile(name, bytes);
    cleanup = () => (rt.hostFs ? fs.rmSync(name, { force: true }) : rt.fs.unlink(name));
  }
  let file: H5File | undefined;
  try {
    try {
      file = new rt.api.File(name, 'r');
    } catch (err) {
      throw new Error(`a damaged HDF5 file that cannot be opened (${err instanceof Error ? err.message : err})`);
    }
    return body(file, rt.api);
  } finally {
    file?.close();
    cleanup();
  }
}

/** One weight array of a Keras layer, in the file's own layout (Keras: kernels HWIO, then bias). */
export interface H5Weight {
  /** Name as listed in the layer's `weight_names` attribute, e.g. `block1_conv1_W_1:0` or `block1_conv1/kernel:0`. */
  name: string;
  shape: number[];
  values: Float32Array;
}

function toStringList(value: unknown): string[] {
  if (value == null) return [];
  const list = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  return list.map((v) => (typeof v === 'string' ? v : new TextDecoder().decode(v as Uint8Array)));
}

function toFloat32(value: unknown, where: string): Float32Array {
  if (value instanceof Float32Array) return value;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Float32Array.from(value as unknown as ArrayLike<number>);
  }
  throw new Error(`HDF5 dataset ${where} is not numeric; is this a Keras weights file?`);
}

/**
 * Reads the weights of a Keras HDF5 weights file (`model.save_weights(...h5)` / keras.applications
 * files) following the file's own index: the root attribute `layer_names` (or `model_weights/` of a
 * full-model file) and each layer group's `weight_names` attribute. Keras 1 files name datasets
 * `/<layer>/<layer>_W_1:0`, Keras 2 files `/<layer>/<layer>/kernel:0`; both are found through
 * `weight_names`. Returns the weights per layer name, in `weight_names` order.
 */
export async function readKerasH5Weights(source: string | Uint8Array, name?: string): Promise<Map<string, H5Weight[]>> {
  return withH5File(
    source,
    (file, api) => {
      let root: Group = file;
      if (!('layer_names' in file.attrs)) {
        const nested = file.get('model_weights');
        if (nested instanceof api.Group && 'layer_names' in nested.attrs) root = nested;
        else {
          throw new Error(
            'not a Keras weights file: the HDF5 root has no "layer_names" attribute (nor model_weights/layer_names). Pass the keras.applications "notop" .h5 file.',
          );
        }
      }
      const layers = new Map<string, H5Weight[]>();
      for (const layerName of toStringList(root.attrs.layer_names.value)) {
        const group = root.get(layerName);
        if (!(group instanceof api.Group)) continue;
        const weightNames = 'weight_names' in group.attrs ? toStringList(group.attrs.weight_names.value) : [];
        const weights = weightNames.map((weightName) => {
          const ds = group.get(weightName);
          if (!(ds instanceof api.Dataset)) {
            throw new Error(`Keras weights file lists ${layerName}/${weightName} but has no such dataset`);
          }
          return {
            name: weightName,
            shape: [...(ds.shape ?? [])],
            values: toFloat32(ds.value, `${layerName}/${weightName}`),
          };
        });
        layers.set(layerName, weights);
      }
      return layers;
    },
    name,
  );
}

/** A layer to write with {@link writeKerasH5Weights}. */
export interface H5LayerToWrite {
  name: string;
  /** Dataset names relative to the layer group, e.g. `block1_conv1_W_1:0` or `block1_conv1/kernel:0`. */
  weights: { name: string; shape: number[]; values: Float32Array }[];
}

/**
 * Writes a Keras-layout HDF5 weights file (root attr `layer_names`, per-group attr `weight_names`,
 * float32 datasets). Used to make test fixtures with the exact layout of the keras.applications files.
 */
export async function writeKerasH5Weights(
  filePath: string,
  layers: H5LayerToWrite[],
  attrs: Record<string, string> = { backend: 'tensorflow', keras_version: '2.0.0' },
): Promise<void> {
  const rt = await getH5Runtime();
  scratchCounter += 1;
  const name = rt.hostFs ? path.resolve(filePath) : `/lrpjs-h5-write-${scratchCounter}.h5`;
  const fixedStrings = (list: string[]) => `S${Math.max(1, ...list.map((s) => Buffer.byteLength(s)))}`;
  const file = new rt.api.File(name, 'w');
  try {
    const layerNames = layers.map((l) => l.name);
    file.create_attribute('layer_names', layerNames, [layerNames.length], fixedStrings(layerNames));
    for (const [key, value] of Object.entries(attrs)) file.create_attribute(key, value);
    for (const layer of layers) {
      const group = file.create_group(layer.name);
      const names = layer.weights.map((w) => w.name);
      if (names.length > 0) group.create_attribute('weight_names', names, [names.length], fixedStrings(names));
      else group.create_attribute('weight_names', new Float32Array(0), [0], '<f');
      for (const w of layer.weights) {
        const parts = w.name.split('/');
        let target: Group = group;
        for (const part of parts.slice(0, -1)) {
          const existing = target.get(part);
          target = existing instanceof rt.api.Group ? existing : target.create_group(part);
        }
        target.create_dataset({ name: parts[parts.length - 1], data: w.values, shape: w.shape, dtype: '<f' });
      }
    }
  } finally {
    file.close();
  }
  if (!rt.hostFs) {
    fs.mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
    fs.writeFileSync(filePath, rt.fs.readFile(name));
    rt.fs.unlink(name);
  }
}
