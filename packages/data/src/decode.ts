import * as fs from 'node:fs';
import sharp from 'sharp';
import { resizeBicubic, type ImageU8 } from './resize';

/** LFW frames are 250x250; scikit-learn's default slice is expressed in that frame. */
export const LFW_FRAME_SIZE = 250;

/** Crop (in frame pixels) and output size of one face. */
export interface FaceGeometry {
  top: number;
  left: number;
  cropHeight: number;
  cropWidth: number;
  height: number;
  width: number;
}

/**
 * Decodes one LFW JPEG to 8-bit RGB exactly as Pillow does (libjpeg-turbo, ISLOW DCT, fancy upsampling,
 * no colour management, no EXIF rotation).
 */
export async function decodeJpegRgb(file: string): Promise<ImageU8> {
  let buf: Buffer;
  try {
    buf = await fs.promises.readFile(file);
  } catch (err) {
    throw new Error(`Cannot read LFW image ${file}: ${(err as Error).message}.`);
  }
  if (buf.length < 3 || buf[0] !== 0xff || buf[1] !== 0xd8 || buf[2] !== 0xff) {
    const head = buf.subarray(0, 4).toString('hex') || 'empty file';
    throw new Error(
      `LFW image ${file} is not a JPEG (starts with ${head}, expected ffd8ff); replace it with the original from the LFW archive or remove it.`,
    );
  }
  let raw: { data: Buffer; info: sharp.OutputInfo };
  try {
    // failOn 'truncated' matches Pillow: a cut-off file fails, benign libjpeg warnings do not.
    // ignoreIcc: Pillow hands out the stored samples; an embedded profile must not alter them.
    raw = await sharp(buf, { failOn: 'truncated', ignoreIcc: true }).raw().toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw new Error(
      `LFW image ${file} is corrupt and cannot be decoded (${(err as Error).message}); replace it with the original from the LFW archive.`,
    );
  }
  const { width, height, channels } = raw.info;
  const src = new Uint8Array(raw.data.buffer, raw.data.byteOffset, raw.data.length);
  if (channels === 3) return { data: src, width, height, channels };
  if (channels === 1) {
    // A greyscale JPEG: replicate to RGB so every face has three channels (each resizes identically).
    const rgb = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = src[i];
    return { data: rgb, width, height, channels: 3 };
  }
  throw new Error(`LFW image ${file} has ${channels} channels; expected an RGB or greyscale JPEG.`);
}

/** Decode, crop and resize one face to `height x width x 3` uint8. */
export async function loadFace(file: string, g: FaceGeometry): Promise<Uint8Array> {
  const img = await decodeJpegRgb(file);
  if (img.width !== LFW_FRAME_SIZE || img.height !== LFW_FRAME_SIZE) {
    throw new Error(
      `LFW image ${file} is ${img.width}x${img.height}, expected the ${LFW_FRAME_SIZE}x${LFW_FRAME_SIZE} LFW frame the slice refers to; replace it with the original LFW image.`,
    );
  }
  return resizeBicubic(img, g.width, g.height, { x: g.left, y: g.top, width: g.cropWidth, height: g.cropHeight }).data;
}
