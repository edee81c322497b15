/**
 * Reading `.npy` arrays (numpy.save's format). No Node imports: the web app decodes the same bytes in the browser.
 * Every byte is untrusted, so each length and count is checked before it is used, and every error names the file.
 */

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

/** `\x93NUMPY` */
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/**
 * Decodes a little-endian, C-order `.npy` file (format 1.0, 2.0 or 3.0) of dtype f4, f8, i4 or u1. `what` names the
 * source in errors (the file path). Throws an Error whose message starts with `what` and says how to fix the file.
 */
export function decodeNpy(bytes: Uint8Array, what = 'file'): NpyData {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new Error(`${what} is not a .npy file (no \\x93NUMPY magic) — save it with numpy.save`);
  }
  const major = bytes[6];
  if (major < 1 || major > 3) {
    throw new Error(`${what} is .npy format ${major}.${bytes[7]}, which is not supported — save it with numpy.save`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offset = major === 1 ? 10 : 12;
  if (bytes.length < offset) throw new Error(`${what} is truncated inside its .npy header — save it again`);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (offset + headerLen > bytes.length) {
    throw new Error(
      `${what} is truncated: its header claims ${headerLen} bytes, the file has ${bytes.length - offset} after the preamble — save it again`,
    );
  }
  const header = new TextDecoder().decode(bytes.subarray(offset, offset + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || shapeText === undefined || !/'fortran_order':\s*(True|False)/.test(header)) {
    throw new Error(`${what} has a damaged .npy header (no descr, fortran_order or shape) — save it with numpy.save`);
  }
  if (/'fortran_order':\s*True/.test(header)) {
    throw new Error(`${what} is in Fortran order — save it with numpy.save(numpy.ascontiguousarray(x))`);
  }
  const dims = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!dims.every((d) => /^\d{1,15}$/.test(d))) {
    throw new Error(`${what} has a damaged .npy shape (${shapeText}) — save it with numpy.save`);
  }
  const shape = dims.map(Number);
  const Type = TYPES[descr as keyof typeof TYPES];
  if (!Type) throw new Error(`${what} has dtype ${descr} — save float32 pixels in [0, 1] (x.astype('float32'))`);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = offset + headerLen;
  const have = bytes.length - dataStart;
  const need = count * Type.BYTES_PER_ELEMENT;
  if (have !== need) {
    throw new Error(
      `${what} ${have < need ? 'is truncated' : 'has trailing bytes'}: shape (${shape.join(', ')}) needs ${need} bytes of data, it has ${have} — save it again`,
    );
  }
  // A copy: aligned for the typed array whatever the header length, and independent of the caller's buffer. (Through
  // Uint8Array's slice: a Node Buffer's own slice is a view, whose .buffer is the whole pool.)
  return { data: new Type(Uint8Array.prototype.slice.call(bytes, dataStart).buffer), shape };
}
