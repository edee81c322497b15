/**
 * RGBA raster images: the one picture type of this package. Its shape matches the browser's `ImageData`
 * (`new ImageData(img.data, img.width, img.height)` draws it on a canvas).
 */

/** An 8-bit RGBA image, row-major, 4 bytes per pixel, no padding. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** A colour as 8-bit RGBA. */
export type Color = readonly [r: number, g: number, b: number, a: number];

/** A blank image filled with `background` (default transparent). */
export function createImage(width: number, height: number, background: Color = [0, 0, 0, 0]): RgbaImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new Error(`Image size must be non-negative integers; got ${width}×${height}.`);
  }
  const data = new Uint8ClampedArray(width * height * 4);
  if (background.some((v) => v !== 0)) {
    for (let p = 0; p < data.length; p += 4) {
      data[p] = background[0];
      data[p + 1] = background[1];
      data[p + 2] = background[2];
      data[p + 3] = background[3];
    }
  }
  return { width, height, data };
}

/** Throw a clear error unless `image` is a consistent {@link RgbaImage}. */
export function assertRgbaImage(image: RgbaImage, what = 'image'): void {
  if (!image || !Number.isInteger(image.width) || !Number.isInteger(image.height)) {
    throw new Error(`${what}: expected { width, height, data } with integer width and height.`);
  }
  if (!image.data || image.data.length !== image.width * image.height * 4) {
    throw new Error(
      `${what}: data has ${image.data?.length} bytes but ${image.width}×${image.height} RGBA needs ` +
        `${image.width * image.height * 4}; pass 4 bytes per pixel.`,
    );
  }
}

/** Options of {@link imageToRgba}. */
export interface ImageToRgbaOptions {
  /**
   * Value range of the input, mapped to 0..255 and clipped. Default [0, 1] (the tutorial's `Itest`). For the
   * network input `X = I × 3 − 1.5` pass [-1.5, 1.5].
   */
  range?: readonly [number, number];
}

/**
 * A float image, height × width × channels (channels-last, 1 or 3 or 4 channels, or [H, W] for gray), to RGBA.
 */
export function imageToRgba(
  pixels: ArrayLike<number>,
  shape: readonly number[],
  options: ImageToRgbaOptions = {},
): RgbaImage {
  const [height, width, channels] = checkImageShape(pixels, shape, 'imageToRgba');
  const [lo, hi] = options.range ?? [0, 1];
  if (!(hi > lo)) throw new Error(`imageToRgba: range must be [low, high] with high > low; got [${lo}, ${hi}].`);
  const scale = 255 / (hi - lo);
  const out = createImage(width, height);
  const d = out.data;
  for (let p = 0; p < width * height; p++) {
    const src = p * channels;
    if (channels >= 3) {
      d[p * 4] = Math.round((pixels[src] - lo) * scale);
      d[p * 4 + 1] = Math.round((pixels[src + 1] - lo) * scale);
      d[p * 4 + 2] = Math.round((pixels[src + 2] - lo) * scale);
      d[p * 4 + 3] = channels === 4 ? Math.round((pixels[src + 3] - lo) * scale) : 255;
    } else {
      const v = Math.round((pixels[src] - lo) * scale);
      d[p * 4] = v;
      d[p * 4 + 1] = v;
      d[p * 4 + 2] = v;
      d[p * 4 + 3] = 255;
    }
  }
  return out;
}

/** Validate [H, W] or [H, W, C] against the data length; returns [H, W, C]. */
export function checkImageShape(
  data: ArrayLike<number>,
  shape: readonly number[],
  fn: string,
  allowedChannels: readonly number[] = [1, 3, 4],
): [number, number, number] {
  if (!Array.isArray(shape) || (shape.length !== 2 && shape.length !== 3)) {
    throw new Error(`${fn}: shape must be [height, width] or [height, width, channels]; got [${shape}].`);
  }
  const [height, width, channels = 1] = shape;
  if (![height, width, channels].every((n) => Number.isInteger(n) && n > 0)) {
    throw new Error(`${fn}: shape entries must be positive integers; got [${shape}].`);
  }
  if (!allowedChannels.includes(channels)) {
    throw new Error(`${fn}: ${channels} channels is not supported; use one of ${allowedChannels.join(', ')}.`);
  }
  if (data.length !== height * width * channels) {
    throw new Error(
      `${fn}: data has ${data.length} values but shape [${shape}] needs ${height * width * channels}; ` +
        'pass channels-last (HWC) data of that shape.',
    );
  }
  return [height, width, channels];
}

/** Enlarge by an integer factor, each pixel becoming a factor × factor block (no smoothing, as `imshow`). */
export function scaleNearest(image: RgbaImage, factor: number): RgbaImage {
  assertRgbaImage(image, 'scaleNearest');
  if (!Number.isInteger(factor) || factor < 1) {
    throw new Error(`scaleNearest: factor must be a positive integer; got ${factor}.`);
  }
  if (factor === 1) return image;
  const out = createImage(image.width * factor, image.height * factor);
  // Whole pixels as 32-bit words; a view needs a 4-byte-aligned offset, else copy first.
  const bytes = image.data.byteOffset % 4 === 0 ? image.data : new Uint8ClampedArray(image.data);
  const src = new Uint32Array(bytes.buffer, bytes.byteOffset, image.width * image.height);
  const dst = new Uint32Array(out.data.buffer, 0, out.width * out.height);
  for (let y = 0; y < out.height; y++) {
    const row = Math.floor(y / factor) * image.width;
    for (let x = 0; x < out.width; x++) dst[y * out.width + x] = src[row + Math.floor(x / factor)];
  }
  return out;
}

/**
 * Copy `src` into `dst` with its top-left corner at (x, y), alpha-compositing ("over") onto what is there;
 * parts outside `dst` are clipped.
 */
export function drawImage(dst: RgbaImage, src: RgbaImage, x: number, y: number): void {
  const x0 = Math.max(0, x);
  const y0 = Math.max(0, y);
  const x1 = Math.min(dst.width, x + src.width);
  const y1 = Math.min(dst.height, y + src.height);
  for (let yy = y0; yy < y1; yy++) {
    for (let xx = x0; xx < x1; xx++) {
      const s = ((yy - y) * src.width + (xx - x)) * 4;
      const d = (yy * dst.width + xx) * 4;
      blendPixel(dst.data, d, src.data[s], src.data[s + 1], src.data[s + 2], src.data[s + 3] / 255);
    }
  }
}

/** Porter-Duff "over" of colour (r, g, b) with opacity a onto dst[d..d+3]. */
export function blendPixel(dst: Uint8ClampedArray, d: number, r: number, g: number, b: number, a: number): void {
  if (a >= 1) {
    dst[d] = r;
    dst[d + 1] = g;
    dst[d + 2] = b;
    dst[d + 3] = 255;
    return;
  }
  if (a <= 0) return;
  const da = dst[d + 3] / 255;
  const oa = a + da * (1 - a);
  dst[d] = (r * a + dst[d] * da * (1 - a)) / oa;
  dst[d + 1] = (g * a + dst[d + 1] * da * (1 - a)) / oa;
  dst[d + 2] = (b * a + dst[d + 2] * da * (1 - a)) / oa;
  dst[d + 3] = oa * 255;
}

/** Options of {@link overlay}. */
export interface OverlayOptions {
  /** Opacity of the heatmap, multiplied with its own per-pixel alpha. Default 0.6. */
  alpha?: number;
  /** Draw the base image in gray so the heatmap's colours stand out. Default true. */
  grayscaleBase?: boolean;
}

/**
 * A heatmap laid over an image of the same size. Pair it with `relevanceToRgba(..., { alphaByMagnitude: true })`
 * so that pixels without relevance show the image and strong relevance shows the colour.
 */
export function overlay(base: RgbaImage, heatmap: RgbaImage, options: OverlayOptions = {}): RgbaImage {
  assertRgbaImage(base, 'overlay base');
  assertRgbaImage(heatmap, 'overlay heatmap');
  if (base.width !== heatmap.width || base.height !== heatmap.height) {
    throw new Error(
      `overlay: image is ${base.width}×${base.height} but heatmap is ${heatmap.width}×${heatmap.height}; ` +
        'scale them to the same size first (scaleNearest).',
    );
  }
  const alpha = options.alpha ?? 0.6;
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`overlay: alpha must lie in [0, 1]; got ${alpha}.`);
  const gray = options.grayscaleBase ?? true;
  const out: RgbaImage = { width: base.width, height: base.height, data: new Uint8ClampedArray(base.data) };
  const d = out.data;
  const h = heatmap.data;
  for (let p = 0; p < d.length; p += 4) {
    if (gray) {
      // Rec. 601 luma, as PIL's convert('L').
      const l = 0.299 * d[p] + 0.587 * d[p + 1] + 0.114 * d[p + 2];
      d[p] = d[p + 1] = d[p + 2] = l;
    }
    blendPixel(d, p, h[p], h[p + 1], h[p + 2], (h[p + 3] / 255) * alpha);
  }
  return out;
}
