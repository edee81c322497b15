/**
 * Image files as model inputs for `lrpjs explain`: JPEG/PNG/WebP/… (decoded with sharp) or `.npy`
 * arrays of pixels in [0, 1].
 */
import { faceGeometry, resizeBicubic, TUTORIAL_LFW_OPTIONS } from '@lrpjs/data';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { CliError } from './errors';
import { decodeNpy } from './npy';

/** LFW frames are 250×250: such a file gets the dataset's crop, so it matches the training images. */
const LFW_FRAME = 250;

export interface LoadedImages {
  /** [N, size, size, 3] pixels in [0, 1]. */
  pixels: Float32Array;
  shape: [number, number, number, number];
  /** A short name per image (file name, with `#k` for the k-th image of an .npy). */
  names: string[];
}

/**
 * Loads `files` as `size`×`size` RGB inputs. A 250×250 picture is taken for an LFW frame and gets
 * the tutorial's crop (rows and cols 68:197) and Pillow-exact bicubic resize, exactly as the
 * training images; any other picture is centre-cropped to a square and resized. `.npy` arrays must
 * already have the model's size: [H, W, 3] or [N, H, W, 3], float pixels in [0, 1].
 */
export async function loadImageFiles(files: readonly string[], size: number): Promise<LoadedImages> {
  const parts: Float32Array[] = [];
  const names: string[] = [];
  for (const file of files) {
    if (!fs.existsSync(file)) throw new CliError(`image file ${file} does not exist`, 'check the path');
    if (file.toLowerCase().endsWith('.npy')) {
      const { pixels, count } = loadNpyImages(file, size);
      parts.push(pixels);
      for (let k = 0; k < count; k++) names.push(count > 1 ? `${path.basename(file)}#${k}` : path.basename(file));
    } else {
      parts.push(await loadPicture(file, size));
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

async function loadPicture(file: string, size: number): Promise<Float32Array> {
  let raw: { data: Buffer; info: sharp.OutputInfo };
  try {
    raw = await sharp(file, { ignoreIcc: true }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw new CliError(
      `cannot decode ${file} as an image (${(err as Error).message})`,
      'pass a JPEG, PNG or WebP file, or an .npy array',
    );
  }
  const { width, height, channels } = raw.info;
  let rgb = new Uint8Array(raw.data.buffer, raw.data.byteOffset, raw.data.length);
  if (channels === 1) {
    const grey = rgb;
    rgb = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = grey[i];
  } else if (channels !== 3) {
    throw new CliError(`${file} has ${channels} colour channels`, 'pass an RGB or greyscale image');
  }
  const image = { data: rgb, width, height, channels: 3 };
  let region: { x: number; y: number; width: number; height: number };
  if (width === LFW_FRAME && height === LFW_FRAME) {
    const g = faceGeometry(TUTORIAL_LFW_OPTIONS.slice as [[number, number], [number, number]], {
      height: size,
      width: size,
    });
    region = { x: g.left, y: g.top, width: g.cropWidth, height: g.cropHeight };
  } else {
    const side = Math.min(width, height);
    region = { x: Math.floor((width - side) / 2), y: Math.floor((height - side) / 2), width: side, height: side };
  }
  const resized = resizeBicubic(image, size, size, region).data;
  const out = new Float32Array(resized.length);
  for (let i = 0; i < resized.length; i++) out[i] = resized[i] / 255;
  return out;
}

function loadNpyImages(file: string, size: number): { pixels: Float32Array; count: number } {
  let npy;
  try {
    npy = decodeNpy(new Uint8Array(fs.readFileSync(file)), file);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  const shape = npy.shape.length === 3 ? [1, ...npy.shape] : npy.shape;
  if (shape.length !== 4 || shape[3] !== 3) {
    throw new CliError(
      `${file} has shape (${npy.shape.join(', ')})`,
      `pass [N, ${size}, ${size}, 3] or [${size}, ${size}, 3] RGB pixels in [0, 1]`,
    );
  }
  if (shape[1] !== size || shape[2] !== size) {
    throw new CliError(
      `${file} holds ${shape[1]}×${shape[2]} images but the model takes ${size}×${size}`,
      `export the data at the model's size (lrpjs data --size ${size} --export DIR) or pass image files, which are resized`,
    );
  }
  const pixels = Float32Array.from(npy.data as ArrayLike<number>);
  let max = 0;
  for (const v of pixels) if (v > max) max = v;
  if (max > 1.5) {
    throw new CliError(`${file} has pixel values up to ${max}`, 'pass pixels in [0, 1] (divide 8-bit values by 255)');
  }
  return { pixels, count: shape[0] };
}
