/**
 * Pillow's `Image.resize(size, Image.BICUBIC)` for 8-bit images, re-implemented so that faces come out
 * with the same bytes scikit-learn gets (Pillow 9/10 `libImaging/Resample.c`): a separable convolution,
 * horizontal pass first, with the kernel's support widened by the downscale factor (antialiasing),
 * fixed-point coefficients (22 fractional bits) and round-and-clip to uint8 after each pass.
 */

/** A rectangle of a packed (row-major, interleaved) 8-bit image. */
export interface PixelRegion {
  /** Left column of the region in the source image (default 0). */
  x?: number;
  /** Top row of the region in the source image (default 0). */
  y?: number;
  /** Region width (default: source width - x). */
  width?: number;
  /** Region height (default: source height - y). */
  height?: number;
}

/** An 8-bit image: `data.length === width * height * channels`, row-major, channels interleaved. */
export interface ImageU8 {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

const PRECISION_BITS = 32 - 8 - 2;
const HALF = 1 << (PRECISION_BITS - 1);
const ONE = 1 << PRECISION_BITS;
const BICUBIC_SUPPORT = 2;

function bicubic(x: number): number {
  const a = -0.5;
  if (x < 0) x = -x;
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

interface Coefficients {
  /** Taps per output sample (stride of `weights`). */
  ksize: number;
  /** First input index per output sample. */
  start: Int32Array;
  /** Number of taps used per output sample. */
  count: Int32Array;
  /** Fixed-point weights, `ksize` per output sample. */
  weights: Int32Array;
}

/** `precompute_coeffs` + `normalize_coeffs_8bpc`, in doubles exactly as the C code computes them. */
function coefficients(inSize: number, outSize: number): Coefficients {
  let filterscale = inSize / outSize;
  const scale = filterscale;
  if (filterscale < 1) filterscale = 1;
  const support = BICUBIC_SUPPORT * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Int32Array(outSize * ksize);
  const k = new Float64Array(ksize);
  const ss = 1 / filterscale;
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    // C's (int) cast truncates toward zero; the clamps below make the sign irrelevant.
    let xmin = Math.trunc(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    let xmax = Math.trunc(center + support + 0.5);
    if (xmax > inSize) xmax = inSize;
    xmax -= xmin;
    let ww = 0;
    for (let x = 0; x < xmax; x++) {
      const w = bicubic((x + xmin - center + 0.5) * ss);
      k[x] = w;
      ww += w;
    }
    for (let x = 0; x < xmax; x++) {
      const w = ww !== 0 ? k[x] / ww : k[x];
      weights[xx * ksize + x] = w < 0 ? Math.trunc(-0.5 + w * ONE) : Math.trunc(0.5 + w * ONE);
    }
    start[xx] = xmin;
    count[xx] = xmax;
  }
  return { ksize, start, count, weights };
}

/** Pillow's `clip8`: floor(ss / 2^22) clamped to [0, 255]. */
function clip8(ss: number): number {
  if (ss <= 0) return 0;
  if (ss >= 256 * ONE) return 255;
  return ss >> PRECISION_BITS; // 0 < ss < 2^30 here, so the int32 shift is floor()
}

/**
 * One 1-D pass along a line of the image: output sample `i` (at `dst + i * dstStep`) is
 * clip8(sum_k weight[i][k] * input sample at `src + (start[i] + k) * srcStep`), for each of `c` interleaved
 * channels. RGB is unrolled (LFW faces are RGB) because that roughly halves the time.
 */
function convolve(
  input: Uint8Array,
  src: number,
  srcStep: number,
  co: Coefficients,
  outSize: number,
  output: Uint8Array,
  dst: number,
  dstStep: number,
  c: number,
): void {
  const { start, count, weights, ksize } = co;
  if (c === 3) {
    for (let i = 0; i < outSize; i++) {
      let s0 = HALF;
      let s1 = HALF;
      let s2 = HALF;
      const n = count[i];
      const kOff = i * ksize;
      let p = src + start[i] * srcStep;
      for (let k = 0; k < n; k++, p += srcStep) {
        const w = weights[kOff + k];
        s0 += input[p] * w;
        s1 += input[p + 1] * w;
        s2 += input[p + 2] * w;
      }
      const o = dst + i * dstStep;
      output[o] = clip8(s0);
      output[o + 1] = clip8(s1);
      output[o + 2] = clip8(s2);
    }
    return;
  }
  const acc = new Float64Array(c);
  for (let i = 0; i < outSize; i++) {
    acc.fill(HALF);
    const n = count[i];
    const kOff = i * ksize;
    let p = src + start[i] * srcStep;
    for (let k = 0; k < n; k++, p += srcStep) {
      const w = weights[kOff + k];
      for (let ch = 0; ch < c; ch++) acc[ch] += input[p + ch] * w;
    }
    const o = dst + i * dstStep;
    for (let ch = 0; ch < c; ch++) output[o + ch] = clip8(acc[ch]);
  }
}

/**
 * Resizes (a region of) an 8-bit image with Pillow's BICUBIC filter, bit-exact with
 * `img.crop((x, y, x + width, y + height)).resize((outWidth, outHeight))` in Pillow >= 7 for
 * modes L and RGB (any channel count works; Pillow premultiplies alpha for RGBA/LA, which this does not).
 *
 * @param image source pixels
 * @param outWidth output width (> 0)
 * @param outHeight output height (> 0)
 * @param region the crop to resize (default: the whole image); must lie inside the image
 */
export function resizeBicubic(image: ImageU8, outWidth: number, outHeight: number, region: PixelRegion = {}): ImageU8 {
  const { data, width, height, channels: c } = image;
  const x0 = region.x ?? 0;
  const y0 = region.y ?? 0;
  const rw = region.width ?? width - x0;
  const rh = region.height ?? height - y0;
  if (data.length !== width * height * c) {
    throw new Error(
      `resizeBicubic: data has ${data.length} bytes, expected width*height*channels = ${width * height * c}.`,
    );
  }
  if (x0 < 0 || y0 < 0 || rw <= 0 || rh <= 0 || x0 + rw > width || y0 + rh > height) {
    throw new Error(
      `resizeBicubic: region x=${x0} y=${y0} ${rw}x${rh} does not lie inside the ${width}x${height} image; pass a region inside it.`,
    );
  }
  if (!(Number.isInteger(outWidth) && Number.isInteger(outHeight) && outWidth > 0 && outHeight > 0)) {
    throw new Error(`resizeBicubic: output size must be positive integers, got ${outWidth}x${outHeight}.`);
  }

  // Pillow skips a pass whose size does not change (for a region starting at 0; a crop is a fresh image).
  const needH = outWidth !== rw;
  const needV = outHeight !== rh;

  let cur = data;
  let curW = width;
  let curX = x0;
  let curY = y0;
  let curRows = rh;

  const vert = needV ? coefficients(rh, outHeight) : null;
  if (needH) {
    const hc = coefficients(rw, outWidth);
    // Only the rows the vertical pass will read (Pillow's ybox_first..ybox_last).
    let rowFirst = 0;
    let rowLast = rh;
    if (vert) {
      rowFirst = vert.start[0];
      rowLast = vert.start[outHeight - 1] + vert.count[outHeight - 1];
    }
    const rows = rowLast - rowFirst;
    const tmp = new Uint8Array(outWidth * rows * c);
    for (let yy = 0; yy < rows; yy++) {
      const srcRow = (y0 + rowFirst + yy) * width + x0;
      convolve(data, srcRow * c, c, hc, outWidth, tmp, yy * outWidth * c, c, c);
    }
    if (vert) for (let i = 0; i < outHeight; i++) vert.start[i] -= rowFirst;
    cur = tmp;
    curW = outWidth;
    curX = 0;
    curY = 0;
    curRows = rows;
  }

  const outW = needH ? outWidth : rw;
  const out = new Uint8Array(outWidth * outHeight * c);
  if (vert) {
    // The vertical pass is the same 1-D convolution along columns: input stride = one row.
    for (let xx = 0; xx < outW; xx++) {
      convolve(cur, (curY * curW + curX + xx) * c, curW * c, vert, outHeight, out, xx * c, outW * c, c);
    }
  } else {
    // Copy the (possibly horizontally resized) rows out of the region.
    for (let yy = 0; yy < curRows; yy++) {
      const src = ((curY + yy) * curW + curX) * c;
      out.set(cur.subarray(src, src + outW * c), yy * outW * c);
    }
  }
  return { data: out, width: outWidth, height: outHeight, channels: c };
}
