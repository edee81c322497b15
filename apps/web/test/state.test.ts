/** Share links, crops and the conservation sentence, against hand-made values. */
import { decodeView, encodeView } from '../src/state/share';
import { DEFAULT_SETTINGS, type Settings } from '../src/state/settings';
import { clampCrop, defaultCrop, rgbaToInput, MIN_CROP_SIDE } from '../src/photo/crop';
import { conservation } from '../src/components/conservation';
import type { ExplainResult } from '../src/engine/protocol';

describe('share links', () => {
  test('a view survives the round trip through the query string', () => {
    const settings: Settings = {
      ...DEFAULT_SETTINGS,
      targetMode: 'contrast',
      classIndex: 4,
      composites: {
        net1: { name: 'tutorial', params: { gamma: 0.5, epsilon: 1e-9, low: -1.5, high: 1.5 } },
        net4: { name: 'epsilon-plus', params: { epsilon: 1e-4 } as Settings['composites'][string]['params'] },
      },
      hidden: ['net2'],
      colormap: 'bwr',
      limits: 'p99',
      view: 'overlay',
      opacity: 0.35,
    };
    const q = encodeView({ settings, gallery: 7, backend: 'wasm' });
    const back = decodeView(new URLSearchParams(q.toString()));
    expect(back.gallery).toBe(7);
    expect(back.backend).toBe('wasm');
    expect(back.settings).toEqual(settings);
  });

  test('invalid values fall back to the defaults instead of failing', () => {
    const back = decodeView(
      new URLSearchParams('rules.net1=tutorial:gamma=99&rules.net2=nonsense&target=bogus&colormap=x&image=-3'),
    );
    expect(back.settings.composites).toEqual({}); // γ = 99 is outside the catalogue's range [0, 10]
    expect(back.settings.targetMode).toBe('predicted');
    expect(back.settings.colormap).toBe(DEFAULT_SETTINGS.colormap);
    expect(back.gallery).toBeUndefined();
  });
});

describe('crops', () => {
  test('the default crop is the centred square over 60% of the shorter side', () => {
    expect(defaultCrop(200, 100)).toEqual({ x: 70, y: 20, side: 60 });
  });

  test('clampCrop keeps the square inside the photo and within its size limits', () => {
    expect(clampCrop({ x: -10, y: 90, side: 50 }, 200, 100)).toEqual({ x: 0, y: 50, side: 50 });
    expect(clampCrop({ x: 0, y: 0, side: 500 }, 200, 100)).toEqual({ x: 0, y: 0, side: 100 });
    expect(clampCrop({ x: 5, y: 5, side: 1 }, 200, 100).side).toBe(MIN_CROP_SIDE);
  });

  test('rgbaToInput drops alpha, scales to [0, 1], and keeps a flat colour flat through the bicubic resize', () => {
    const n = 8;
    const rgba = new Uint8ClampedArray(n * n * 4);
    for (let i = 0; i < rgba.length; i += 4) rgba.set([51, 102, 255, 7], i);
    const out = rgbaToInput(rgba, n, 4);
    expect(out.length).toBe(4 * 4 * 3);
    for (let i = 0; i < out.length; i += 3) {
      expect(out[i]).toBeCloseTo(51 / 255, 6);
      expect(out[i + 1]).toBeCloseTo(102 / 255, 6);
      expect(out[i + 2]).toBe(1);
    }
  });
});

test('rgbaToInput resizes as Pillow does (values from PIL.Image.resize(BICUBIC), 6×6 → 4×4)', () => {
  const pil = [
    14, 13, 1, 70, 13, 4, 134, 13, 9, 190, 13, 12, 24, 77, 5, 80, 77, 26, 144, 77, 51, 200, 77, 72, 35, 148, 8, 91, 148,
    51, 155, 148, 97, 211, 148, 140, 45, 212, 12, 101, 212, 73, 165, 212, 139, 221, 212, 200,
  ];
  const rgba = new Uint8ClampedArray(6 * 6 * 4);
  for (let y = 0; y < 6; y++) {
    for (let x = 0; x < 6; x++)
      rgba.set([(x * 40 + y * 7) % 256, (y * 45) % 256, (x * y * 9) % 256, 255], (y * 6 + x) * 4);
  }
  expect(Array.from(rgbaToInput(rgba, 6, 4), (v) => Math.round(v * 255))).toEqual(pil);
});

describe('conservation in words', () => {
  const result = (total: number, logit: number): ExplainResult => ({
    net: 'net4',
    size: 1,
    relevance: new Float32Array([total]),
    total,
    logits: new Float32Array([logit, 0]),
    probabilities: new Float32Array([1, 0]),
    predicted: 0,
    explained: [[0, 1]],
    ms: 1,
    method: 'lrp',
    backend: 'cpu',
  });

  test('says which share of the score the pixels hold, and why EpsilonPlus keeps less', () => {
    const c = conservation(result(0.92, 2), 'epsilon-plus');
    expect(c.share).toBeCloseTo(0.46, 9);
    expect(c.text).toMatch(/^46% of the score f\(x\) = 2\.00 is accounted for by the pixels/);
    expect(c.text).toMatch(/biases .* absorb the rest/);
    expect(c.diverged).toBe(false);
  });

  test('flags divergence (ΣR ≫ f(x)) and non-finite relevance', () => {
    expect(conservation(result(-2.9e7, 2), 'tutorial').diverged).toBe(true);
    expect(conservation(result(Number.NaN, 2), 'tutorial').diverged).toBe(true);
  });
});
