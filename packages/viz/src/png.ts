/** PNG encoding and decoding through fast-png (pure JavaScript: Node and browsers alike). */
import { convertIndexedToRgb, decode, encode } from 'fast-png';
import { assertRgbaImage, type RgbaImage } from './image';

/** Options of {@link encodePng}. */
export interface EncodePngOptions {
  /** zlib level 0 (store) .. 9 (smallest). Default 6. */
  compressionLevel?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
  /** tEXt chunks, e.g. { Software: 'lrpjs' } (Latin-1 keys of 1..79 characters). Default none. */
  text?: Record<string, string>;
}

/** An RGBA image as PNG file bytes (8-bit RGBA). */
export function encodePng(image: RgbaImage, options?: EncodePngOptions): Uint8Array;
/** RGBA bytes (4 per pixel, row-major) of a width × height image as PNG file bytes. */
export function encodePng(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  options?: EncodePngOptions,
): Uint8Array;
export function encodePng(
  imageOrData: RgbaImage | Uint8Array | Uint8ClampedArray,
  widthOrOptions?: number | EncodePngOptions,
  height?: number,
  maybeOptions?: EncodePngOptions,
): Uint8Array {
  let image: RgbaImage;
  let options: EncodePngOptions;
  if (ArrayBuffer.isView(imageOrData)) {
    if (typeof widthOrOptions !== 'number' || typeof height !== 'number') {
      throw new Error('encodePng(rgba, width, height): width and height are required with raw RGBA bytes.');
    }
    image = { width: widthOrOptions, height, data: imageOrData as Uint8ClampedArray };
    options = maybeOptions ?? {};
  } else {
    image = imageOrData;
    options = (widthOrOptions as EncodePngOptions | undefined) ?? {};
  }
  assertRgbaImage(image, 'encodePng');
  if (image.width === 0 || image.height === 0) {
    throw new Error(`encodePng: a PNG needs at least 1×1 pixels; got ${image.width}×${image.height}.`);
  }
  const data = new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return encode(
    { width: image.width, height: image.height, data, channels: 4, depth: 8, text: options.text },
    { zlib: { level: options.compressionLevel ?? 6 } },
  );
}

/**
 * PNG file bytes to an 8-bit RGBA image, whatever the file's colour type (gray, gray+alpha, RGB, RGBA,
 * indexed) and bit depth (16-bit channels keep their high byte).
 */
export function decodePng(bytes: Uint8Array | ArrayBufferLike): RgbaImage {
  let png;
  try {
    png = decode(bytes);
  } catch (err) {
    throw new Error(`decodePng: not a readable PNG (${(err as Error).message}).`);
  }
  const { width, height } = png;
  const n = width * height;
  const out = new Uint8ClampedArray(n * 4);
  let src: ArrayLike<number> = png.data;
  let channels = png.channels;
  let shift = png.depth === 16 ? 8 : 0;
  if (png.palette) {
    src = convertIndexedToRgb(png);
    channels = src.length === n * 4 ? 4 : 3;
    shift = 0;
  } else if (png.depth < 8) {
    // Gray at 1, 2 or 4 bits: rows stay packed (each row starts on a byte); unpack and stretch to 0..255.
    const bytes = png.data as Uint8Array;
    const stride = Math.ceil((width * png.depth) / 8);
    const max = (1 << png.depth) - 1;
    const unpacked = new Uint8Array(n);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const bit = x * png.depth;
        const byte = bytes[y * stride + (bit >> 3)];
        const value = (byte >> (8 - png.depth - (bit & 7))) & max;
        unpacked[y * width + x] = Math.round((value * 255) / max);
      }
    }
    src = unpacked;
  }
  for (let p = 0; p < n; p++) {
    const s = p * channels;
    const v = (c: number): number => (src[s + c] as number) >> shift;
    if (channels >= 3) {
      out[p * 4] = v(0);
      out[p * 4 + 1] = v(1);
      out[p * 4 + 2] = v(2);
      out[p * 4 + 3] = channels === 4 ? v(3) : 255;
    } else {
      out[p * 4] = out[p * 4 + 1] = out[p * 4 + 2] = v(0);
      out[p * 4 + 3] = channels === 2 ? v(1) : 255;
    }
  }
  return { width, height, data: out };
}
