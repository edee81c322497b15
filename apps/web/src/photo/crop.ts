import { resizeBicubic } from '@lrpjs/data/resize';

/** A square region of a photo in its own pixels; it may reach past the edges (the outside reads as black). */
export interface SquareCrop {
  x: number;
  y: number;
  side: number;
}

/** Smallest crop side a user can make, in photo pixels (below it the models see a few pixels blown up). */
export const MIN_CROP_SIDE = 16;

/** A centred square over 60% of the shorter side: where a portrait's face usually is. */
export function defaultCrop(width: number, height: number): SquareCrop {
  const side = Math.max(MIN_CROP_SIDE, Math.round(0.6 * Math.min(width, height)));
  return { x: Math.round((width - side) / 2), y: Math.round((height - side) / 2), side };
}

/** `crop` made valid for a width×height photo: side within [MIN_CROP_SIDE, shorter side], inside the photo. */
export function clampCrop(crop: SquareCrop, width: number, height: number): SquareCrop {
  const side = Math.min(Math.max(crop.side, MIN_CROP_SIDE), Math.min(width, height));
  return {
    x: Math.min(Math.max(crop.x, 0), width - side),
    y: Math.min(Math.max(crop.y, 0), height - side),
    side,
  };
}

/** Largest intermediate side: bigger crops are first scaled by the canvas (exactness matters at LFW sizes). */
const MAX_REGION = 1024;

/**
 * The crop as a model's input: size×size×3 in [0, 1]. The region is read at its own resolution and resized with
 * @lrpjs/data's Pillow-exact bicubic filter, as LFW's 129-px crops were resized for training.
 */
export function cropPixels(
  image: CanvasImageSource & { width: number; height: number },
  crop: SquareCrop,
  size: number,
): Float32Array {
  const n = Math.max(1, Math.min(MAX_REGION, Math.round(crop.side)));
  const canvas = new OffscreenCanvas(n, n);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('This browser cannot draw on an OffscreenCanvas; use a current Chromium or Firefox.');
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, n, n);
  ctx.imageSmoothingQuality = 'high';
  const k = n / crop.side;
  ctx.drawImage(image, -crop.x * k, -crop.y * k, image.width * k, image.height * k);
  const rgba = ctx.getImageData(0, 0, n, n).data;
  return rgbaToInput(rgba, n, size);
}

/** n×n RGBA bytes → bicubic to size×size → floats in [0, 1], channels-last RGB. */
export function rgbaToInput(rgba: Uint8ClampedArray, n: number, size: number): Float32Array {
  const rgb = new Uint8Array(n * n * 3);
  for (let p = 0, q = 0; q < rgb.length; p += 4, q += 3) {
    rgb[q] = rgba[p];
    rgb[q + 1] = rgba[p + 1];
    rgb[q + 2] = rgba[p + 2];
  }
  const out = n === size ? rgb : resizeBicubic({ data: rgb, width: n, height: n, channels: 3 }, size, size).data;
  const pixels = new Float32Array(size * size * 3);
  for (let i = 0; i < out.length; i++) pixels[i] = out[i] / 255;
  return pixels;
}

/** size×size×3 floats in [0, 1] → `to`×`to` with the same Pillow-exact bicubic filter (atlas at another size). */
export function resizeInput(pixels: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return pixels;
  const rgb = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) rgb[i] = Math.round(Math.min(1, Math.max(0, pixels[i])) * 255);
  const out = resizeBicubic({ data: rgb, width: from, height: from, channels: 3 }, to, to).data;
  const result = new Float32Array(out.length);
  for (let i = 0; i < out.length; i++) result[i] = out[i] / 255;
  return result;
}
