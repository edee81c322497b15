import { getColormap, percentile, relevanceBatchToRgba, relevanceLimits, relevanceToRgba, sumChannels } from '../src';

// A 2 × 2 × 3 relevance map (channels last) with hand-computed sums:
//   pixel  R               Σ|R|   ΣR
//   0      [1, -2, 0.5]    3.5   -0.5
//   1      [-1, -1, -1]    3     -3
//   2      [0.25, 0.25, 0] 0.5    0.5
//   3      [2, 0, -1]      3      1
const R = new Float32Array([1, -2, 0.5, -1, -1, -1, 0.25, 0.25, 0, 2, 0, -1]);
const SHAPE = [2, 2, 3];

function px(img: { data: Uint8ClampedArray }, k: number): number[] {
  return Array.from(img.data.subarray(k * 4, k * 4 + 4));
}

test('sumChannels', () => {
  expect(Array.from(sumChannels(R, SHAPE))).toEqual([-0.5, -3, 0.5, 1]);
});

test("'symmetric' is the tutorial's Rsmax = max over pixels of Σ_c |R|", () => {
  expect(relevanceLimits(R, SHAPE)).toEqual({ vmin: -3.5, vmax: 3.5 });
});

test("'max-abs' is the largest |Σ_c R|", () => {
  expect(relevanceLimits(R, SHAPE, 'max-abs')).toEqual({ vmin: -3, vmax: 3 });
});

test('percentile limits interpolate as numpy', () => {
  // |ΣR| sorted: 0.5, 0.5, 1, 3; the median sits halfway between 0.5 and 1.
  expect(relevanceLimits(R, SHAPE, { percentile: 50 })).toEqual({ vmin: -0.75, vmax: 0.75 });
  expect(relevanceLimits(R, SHAPE, { percentile: 100 }).vmax).toBe(3);
  expect(percentile([1, 2, 3, 4, 5], 99.5)).toBeCloseTo(4.98, 12);
});

test('relevanceToRgba colours the summed map with seismic ×0.85 at ±Rsmax', () => {
  const img = relevanceToRgba(R, SHAPE);
  expect([img.width, img.height]).toEqual([2, 2]);
  // pixel 1: ΣR = -3, t = (−3 + 3.5) / 7 = 0.0714 → entry 18, in seismic's first segment:
  // blue = (0.3 + 0.7 · (18/255) / 0.25) · 0.85 · 255 = 107.87 → 108.
  expect(px(img, 1)).toEqual([0, 0, 108, 255]);
  // pixel 3: ΣR = 1, t = 4.5 / 7 → entry 164, in the white→red segment [0.5, 0.75]:
  // green = blue = (1 − (164/255 − 0.5) / 0.25) · 0.85 · 255 = 0.42745 · 216.75 = 92.65 → 93.
  expect(px(img, 3)).toEqual([217, 93, 93, 255]);
});

test('explicit limits and another colormap', () => {
  const img = relevanceToRgba(R, SHAPE, { limits: { vmin: -1, vmax: 1 }, colormap: 'gray' });
  expect(px(img, 0)).toEqual([64, 64, 64, 255]); // t = 0.25 → entry 64
  expect(px(img, 1)).toEqual([0, 0, 0, 255]); // clipped
  expect(px(img, 3)).toEqual([255, 255, 255, 255]);
});

test('alphaByMagnitude makes alpha |ΣR| / limit', () => {
  const img = relevanceToRgba(R, SHAPE, { alphaByMagnitude: true });
  expect(img.data[1 * 4 + 3]).toBe(Math.round((3 / 3.5) * 255));
  expect(img.data[2 * 4 + 3]).toBe(Math.round((0.5 / 3.5) * 255));
});

test('[H, W] maps and a blank map (neutral middle colour)', () => {
  const img = relevanceToRgba(new Float32Array(4), [2, 2]);
  const mid = Array.from(getColormap('seismic-dark').lut8.subarray(128 * 4, 129 * 4));
  for (let k = 0; k < 4; k++) expect(px(img, k)).toEqual(mid);
});

test('batch: one shared Rsmax over all maps, or one per map', () => {
  const second = new Float32Array(12);
  second[0] = 4; // Σ|R| = 4 at pixel 0
  const batch = new Float32Array([...R, ...second]);
  const shared = relevanceBatchToRgba(batch, [2, 2, 2, 3]);
  expect(shared.images).toHaveLength(2);
  expect(shared.limits).toEqual([
    { vmin: -4, vmax: 4 },
    { vmin: -4, vmax: 4 },
  ]);
  const own = relevanceBatchToRgba(batch, [2, 2, 2, 3], { sharedLimits: false });
  expect(own.limits.map((l) => l.vmax)).toEqual([3.5, 4]);
  // The first image drawn in the batch equals the single-map rendering at the same limit.
  const single = relevanceToRgba(R, SHAPE, { limits: { vmin: -4, vmax: 4 } });
  expect(shared.images[0].data).toEqual(single.data);
});

test('bad input names the problem', () => {
  expect(() => relevanceToRgba(R, [2, 3, 3])).toThrow(/12 values but shape \[2,3,3\] needs 18/);
  expect(() => relevanceToRgba(R, [12] as never)).toThrow(/shape must be \[height, width\]/);
  expect(() => relevanceToRgba(R, SHAPE, { sumChannels: false })).toThrow(/sumChannels is false/);
  expect(() => relevanceToRgba(R, SHAPE, { limits: { vmin: 1, vmax: 1 } })).toThrow(/vmax > vmin/);
  expect(() => relevanceBatchToRgba(R, [3, 2, 2, 3])).toThrow(/needs 36/);
});
