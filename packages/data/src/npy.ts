import * as path from 'node:path';
import { mkdirSteps, writeFileAtomic } from './paths';
import type { LfwDataset } from './types';

/** Typed arrays NPY files can hold here, with their numpy dtype. */
export type NpyArray = Float32Array | Int32Array | Uint8Array | Float64Array;

function descr(a: NpyArray): string {
  if (a instanceof Float32Array) return '<f4';
  if (a instanceof Int32Array) return '<i4';
  if (a instanceof Float64Array) return '<f8';
  if (a instanceof Uint8Array) return '|u1';
  throw new Error('encodeNpy: unsupported array type; pass a Float32Array, Int32Array, Float64Array or Uint8Array.');
}

/** The NPY v1.0 header (magic, version, length, padded dict), 64-byte aligned like numpy writes it. */
function npyHeader(array: NpyArray, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (!shape.every((d) => Number.isInteger(d) && d >= 0) || count !== array.length) {
    throw new Error(
      `encodeNpy: shape [${shape.join(', ')}] holds ${count} values but the array has ${array.length}; pass the array's shape.`,
    );
  }
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${descr(array)}', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  const pre = 10; // magic(6) + version(2) + header length(2)
  const padded = Math.ceil((pre + dict.length + 1) / 64) * 64;
  dict = dict.padEnd(padded - pre - 1, ' ') + '\n';
  if (dict.length > 0xffff) throw new Error('encodeNpy: header too long for NPY v1.0.');
  const header = new Uint8Array(pre + dict.length);
  header.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0); // \x93NUMPY v1.0
  header[8] = dict.length & 0xff;
  header[9] = dict.length >> 8;
  for (let i = 0; i < dict.length; i++) header[pre + i] = dict.charCodeAt(i);
  return header;
}

function bodyBytes(array: NpyArray): Uint8Array {
  // NPY stores little-endian; so does every platform Node runs on in practice, but check rather than assume.
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1)
    throw new Error('encodeNpy: big-endian hosts are not supported.');
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** An NPY v1.0 file (C order) as bytes: `numpy.load` reads it back with the given shape and dtype. */
export function encodeNpy(array: NpyArray, shape: readonly number[]): Uint8Array {
  const header = npyHeader(array, shape);
  const out = new Uint8Array(header.length + array.byteLength);
  out.set(header, 0);
  out.set(bodyBytes(array), header.length);
  return out;
}

/** Writes an NPY file atomically (temp file + rename) without copying the array. */
export async function writeNpy(file: string, array: NpyArray, shape: readonly number[]): Promise<void> {
  await writeFileAtomic(file, [npyHeader(array, shape), bodyBytes(array)]);
}

/**
 * Writes `images.npy` (float32 N x H x W x C), `targets.npy` (int32 N) and `target_names.json` into
 * `outDir` (created if needed), each atomically. Returns the written paths.
 */
export async function exportDataset(
  ds: LfwDataset,
  outDir: string,
): Promise<{ images: string; targets: string; targetNames: string }> {
  await mkdirSteps(outDir);
  const files = {
    images: path.join(outDir, 'images.npy'),
    targets: path.join(outDir, 'targets.npy'),
    targetNames: path.join(outDir, 'target_names.json'),
  };
  await writeNpy(files.images, ds.images, ds.shape);
  await writeNpy(files.targets, ds.targets, [ds.targets.length]);
  await writeFileAtomic(files.targetNames, Buffer.from(JSON.stringify(ds.targetNames, null, 2) + '\n'));
  return files;
}
