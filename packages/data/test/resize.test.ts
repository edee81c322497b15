import { createHash } from 'node:crypto';
import { resizeBicubic, type ImageU8 } from '../src';

// A 40x30 RGB pattern with hard edges (exercises negative lobes and clipping):
// v(x, y, c) = (3x^2 + 7y + 85c + xy) & 255. Expected outputs computed once with Pillow 9.4:
// np.asarray(Image.fromarray(a).crop(box).resize(size))  (default resample = BICUBIC).
function pattern(channels: number[] = [0, 1, 2]): ImageU8 {
  const width = 40;
  const height = 30;
  const c = channels.length;
  const data = new Uint8Array(width * height * c);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      channels.forEach((ch, k) => (data[(y * width + x) * c + k] = (3 * x * x + 7 * y + 85 * ch + x * y) & 255));
  return { data, width, height, channels: c };
}
const sha = (a: Uint8Array): string => createHash('sha256').update(a).digest('hex');
const px = (img: ImageU8, x: number, y: number): number[] =>
  Array.from(img.data.subarray((y * img.width + x) * img.channels, (y * img.width + x + 1) * img.channels));

describe('resizeBicubic matches Pillow BICUBIC byte for byte', () => {
  it.each([
    // box (x0, y0, x1, y1), size (w, h), sha256 of output, pixel (0,0), (w/2,h/2), (w-1,h-1)
    [
      [3, 5, 37, 29],
      [17, 11],
      '0b333bba21adc281492e28cb82fabf76349e8961af47ed227b60ac9ab495b817',
      [97, 197, 61],
      [149, 128, 98],
      [203, 68, 116],
    ],
    [
      [0, 0, 40, 30],
      [50, 41],
      'cb68d4c5fddd02e1420c43f4560800d19f5542c7964298685f6c264844e2ca2c',
      [0, 85, 170],
      [59, 146, 237],
      [0, 97, 182],
    ],
    [
      [3, 5, 37, 29],
      [34, 7],
      '4fc324e738eea7256ed6857b28d76f7fa1c8f03d3471332963ec55324d30f23c',
      [90, 175, 65],
      [104, 186, 80],
      [164, 117, 87],
    ],
    [
      [10, 0, 30, 30],
      [20, 9],
      '1a57fd28fa50f99688f03dcf1dcdaab14a12395452137b20086d59d3ce102257',
      [65, 150, 197],
      [62, 146, 170],
      [192, 134, 96],
    ],
  ])('crop %j -> %j', (box, size, hash, first, mid, last) => {
    const [x0, y0, x1, y1] = box as number[];
    const [w, h] = size as number[];
    const out = resizeBicubic(pattern(), w, h, { x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
    expect(px(out, 0, 0)).toEqual(first);
    expect(px(out, Math.floor(w / 2), Math.floor(h / 2))).toEqual(mid);
    expect(px(out, w - 1, h - 1)).toEqual(last);
    expect(sha(out.data)).toBe(hash);
  });

  it('single channel (mode L)', () => {
    const out = resizeBicubic(pattern([0]), 13, 9);
    expect(Array.from(out.data.subarray(0, 5))).toEqual([15, 67, 154, 114, 133]);
    expect(sha(out.data)).toBe('8e7a90569bf08e047d29e482a626947061d5ee283598a0ec28d10d4797c030d5');
  });

  it('keeps a flat image flat and an unchanged size unchanged', () => {
    const flat: ImageU8 = { data: new Uint8Array(20 * 20 * 3).fill(173), width: 20, height: 20, channels: 3 };
    expect(resizeBicubic(flat, 7, 9).data.every((v) => v === 173)).toBe(true);
    const img = pattern();
    const same = resizeBicubic(img, 10, 10, { x: 4, y: 6, width: 10, height: 10 });
    expect(px(same, 3, 2)).toEqual(px(img, 7, 8));
  });

  it('rejects a region outside the image', () => {
    expect(() => resizeBicubic(pattern(), 5, 5, { x: 30, y: 0, width: 20, height: 10 })).toThrow(/inside/);
  });
});
