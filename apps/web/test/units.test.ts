/** Pure helpers of the page, checked against hand-computed values. */
import { lfwCropFromBox, LFW_CROP } from '../src/engine/faceCrop';
import { resizePixels, shortName } from '../src/run/pixels';
import { publicText } from '../src/components/publicText';

describe('lfwCropFromBox', () => {
  test('scales and shifts the box by the given constants', () => {
    // side 1.2·100 = 120; centre (100 + 40 + 0.1·100, 50 + 50 − 0.05·100) = (150, 95).
    expect(lfwCropFromBox({ x: 100, y: 50, width: 80, height: 100 }, { sidePerBox: 1.2, dx: 0.1, dy: -0.05 })).toEqual({
      x: 90,
      y: 35,
      side: 120,
    });
  });

  test('maps the median LFW detection back onto the tutorial crop 68..197', () => {
    const h = 129 / LFW_CROP.sidePerBox;
    const w = 0.85 * h;
    const box = { x: 132.5 - LFW_CROP.dx * h - w / 2, y: 132.5 - LFW_CROP.dy * h - h / 2, width: w, height: h };
    const crop = lfwCropFromBox(box);
    expect(crop.side).toBeCloseTo(129, 9);
    expect(crop.x).toBeCloseTo(68, 9);
    expect(crop.y).toBeCloseTo(68, 9);
  });

  test('rejects an empty box with a message', () => {
    expect(() => lfwCropFromBox({ x: 0, y: 0, width: 0, height: 10 })).toThrow(/positive size/);
  });
});

describe('resizePixels', () => {
  test('keeps a constant image constant', () => {
    const src = new Float32Array(4 * 4 * 3).fill(0.25);
    const out = resizePixels(src, 4, 7);
    expect(out.length).toBe(7 * 7 * 3);
    for (const v of out) expect(v).toBeCloseTo(0.25, 6);
  });

  test('halving averages each 2×2 block (pixel centres fall between source pixels)', () => {
    // 2×2 gray image, one channel value per pixel repeated over RGB: [0, 1; 1, 0] → mean 0.5.
    const src = Float32Array.from([0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0]);
    expect(Array.from(resizePixels(src, 2, 1))).toEqual([0.5, 0.5, 0.5]);
  });
});

test('shortName keeps the surname as the tutorial labels images', () => {
  expect(shortName('George W Bush')).toBe('Bush');
  expect(shortName(undefined)).toBe('?');
});

describe('publicText', () => {
  test('keeps file names of absolute paths and drops checksums', () => {
    const reason =
      'no VGG-16 weights at /home/ann/.lrpjs/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5 (md5 6d6bbae143d832006294945121d1f1fc); pass --vgg16-weights';
    expect(publicText(reason)).toBe(
      'no VGG-16 weights at vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5; pass --vgg16-weights',
    );
  });
  test('leaves plain words alone', () => {
    expect(publicText('skipped by --nets')).toBe('skipped by --nets');
  });
});
