/**
 * Picture files and `.npy` arrays as model inputs (Node: sharp decodes JPEG, PNG, WebP, …). A 250×250 picture is an
 * LFW frame and gets exactly the training images' crop and resize; anything else is centre-cropped to a square.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { LFW_FRAME_SIZE } from './decode';
import { faceGeometry } from './lfw';
import { decodeNpy } from './npy-read';
import { resizeBicubic, type ImageU8, type PixelRegion } from './resize';
import { TUTORIAL_LFW_OPTIONS } from './tutorial';

export interface LoadedImages {
  /** [N, size, size, 3] pixels in [0, 1]. */
  pixels: Float32Array;
  shape: [number, number, number, number];
  /** A short name per image (file name, with `#k` for the k-th image of an .npy). */
  names: string[];
}

/** Pictures larger than this many pixels are refused before decoding (sharp's own default limit). */
const MAX_PIXELS = 268_402_689;

/**
 * Loads `files` as `size`×`size` RGB inputs in [0, 1]. A 250×250 picture is taken for an LFW frame and gets the
 * tutorial's crop and Pillow-exact bicubic resize, exactly as the training images; any other picture is
 * centre-cropped to a square and resized. `.npy` arrays must already have the model's size: [H, W, 3] or
 * [N, H, W, 3], float pixels in [0, 1]. Errors name the file and say what to pass instead (`problem — fix`).
 */
export async function loadImageFiles(files: readonly string[], size: number): Promise<LoadedImages> {
  const parts: Float32Array[] = [];
  const names: string[] = [];
  for (const file of files) {
    if (!fs.existsSync(file)) throw new Error(`image file ${file} does not exist — check the path`);
    if (file.toLowerCase().endsWith('.npy')) {
      const { pixels, count } = loadNpyImages(file, size);
      parts.push(pixels);
      for (let k = 0; k < count; k++) names.push(count > 1 ? `${path.basename(file)}#${k}` : path.basename(file));
    } else {
      parts.push(pictureToInput(await decodeImageFile(file), size));
      names.push(path.basename(file));
    }
  }
  const pixels = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    pixels.set(p, offset);
    offset += p.length;
  }
  return { pixels, shape: [names.length, size, size, 3], names };
}

/** Decodes a picture file (JPEG, PNG, WebP, …) to 8-bit RGB; greyscale is replicated, alpha dropped. */
export async function decodeImageFile(file: string): Promise<ImageU8> {
  const bytes = await fs.promises.readFile(file).catch((err: Error) => {
    throw new Error(`cannot read image file ${file} (${err.message}) — check the path and its permissions`);
  });
  return decodeImageBytes(bytes, file);
}

/** {@link decodeImageFile} on bytes already read; `what` names the source in errors. */
export async function decodeImageBytes(bytes: Uint8Array, what: string): Promise<ImageU8> {
  let raw: { data: Buffer; info: sharp.OutputInfo };
  try {
    raw = await sharp(bytes, { ignoreIcc: true, limitInputPixels: MAX_PIXELS, failOn: 'truncated' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw new Error(
      `cannot decode ${what} as an image (${(err as Error).message}) — pass a JPEG, PNG or WebP file, or an .npy array`,
    );
  }
  const { width, height, channels } = raw.info;
  const src = new Uint8Array(raw.data.buffer, raw.data.byteOffset, raw.data.length);
  if (channels === 3) return { data: src, width, height, channels: 3 };
  if (channels === 1) {
    const rgb = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = src[i];
    return { data: rgb, width, height, channels: 3 };
  }
  throw new Error(`${what} has ${channels} colour channels — pass an RGB or greyscale image`);
}

/**
 * The square region of a picture that becomes a model input: the tutorial's face crop for an LFW frame,
 * otherwise the centred square.
 */
export function inputRegion(width: number, height: number, size: number): PixelRegion {
  if (width === LFW_FRAME_SIZE && height === LFW_FRAME_SIZE) {
    const g = faceGeometry(TUTORIAL_LFW_OPTIONS.slice as [[number, number], [number, number]], {
      height: size,
      width: size,
    });
    return { x: g.left, y: g.top, width: g.cropWidth, height: g.cropHeight };
  }
  const side = Math.min(width, height);
  return { x: Math.floor((width - side) / 2), y: Math.floor((height - side) / 2), width: side, height: side };
}

/** A decoded picture as one `size`×`size`×3 input in [0, 1] (see {@link inputRegion}). */
export function pictureToInput(image: ImageU8, size: number): Float32Array {
  const resized = resizeBicubic(image, size, size, inputRegion(image.width, image.height, size)).data;
  const out = new Float32Array(resized.length);
  for (let i = 0; i < resized.length; i++) out[i] = resized[i] / 255;
  return out;
}

function loadNpyImages(file: string, size: number): { pixels: Float32Array; count: number } {
  const npy = decodeNpy(new Uint8Array(fs.readFileSync(file)), file);
  const shape = npy.shape.length === 3 ? [1, ...npy.shape] : npy.shape;
  if (shape.length !== 4 || shape[3] !== 3) {
    throw new Error(
      `${file} has shape (${npy.shape.join(', ')}) — pass [N, ${size}, ${size}, 3] or [${size}, ${size}, 3] RGB pixels in [0, 1]`,
    );
  }
  if (shape[1] !== size || shape[2] !== size) {
    throw new Error(
      `${file} holds ${shape[1]}×${shape[2]} images but the model takes ${size}×${size} — ` +
        `export the data at the model's size (lrpjs data --size ${size} --export DIR) or pass image files, which are resized`,
    );
  }
  const pixels = Float32Array.from(npy.data as ArrayLike<number>);
  let max = 0;
  for (const v of pixels) if (v > max) max = v;
  if (max > 1.5) {
    throw new Error(`${file} has pixel values up to ${max} — pass pixels in [0, 1] (divide 8-bit values by 255)`);
  }
  return { pixels, count: shape[0] };
}
