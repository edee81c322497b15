/** Reading `.npy` inputs of `lrpjs explain` (writing uses @lrpjs/data's encodeNpy). */

export interface NpyData {
  data: Float32Array | Float64Array | Int32Array | Uint8Array;
  shape: number[];
}

const TYPES = {
  '<f4': Float32Array,
  '<f8': Float64Array,
  '<i4': Int32Array,
  '|u1': Uint8Array,
  '<u1': Uint8Array,
} as const;

/** Decodes a little-endian, C-order `.npy` file of dtype f4, f8, i4 or u1. */
export function decodeNpy(bytes: Uint8Array, what = 'file'): NpyData {
  if (bytes.length < 10 || bytes[0] !== 0x93 || String.fromCharCode(...bytes.subarray(1, 6)) !== 'NUMPY') {
    throw new Error(`${what} is not a .npy file (no \\x93NUMPY magic); save it with numpy.save`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const offset = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(offset, offset + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1] ?? '?';
  if (/'fortran_order':\s*True/.test(header)) {
    throw new Error(`${what} is in Fortran order; save it with numpy.save(numpy.ascontiguousarray(x))`);
  }
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const Type = TYPES[descr as keyof typeof TYPES];
  if (!Type) throw new Error(`${what} has dtype ${descr}; save float32 pixels in [0, 1] (x.astype('float32'))`);
  const body = bytes.slice(offset + headerLen);
  const count = shape.reduce((a, b) => a * b, 1);
  if (body.byteLength !== count * Type.BYTES_PER_ELEMENT) {
    throw new Error(
      `${what} is truncated: shape (${shape.join(', ')}) needs ${count * Type.BYTES_PER_ELEMENT} bytes of data, it has ${body.byteLength}`,
    );
  }
  return { data: new Type(body.buffer), shape };
}
