import { COLORMAP_NAMES, applyColormap, colorAt, getColormap, lutIndex, scaleColormap } from '../src';

// Reference values from matplotlib 3.6.3: `matplotlib.colormaps['seismic'](numpy.arange(256))`, built from
// _seismic_data = ((0,0,.3), (0,0,1), (1,1,1), (1,0,0), (.5,0,0)) spread evenly over 256 entries.
const SEISMIC_MPL: Record<number, [number, number, number]> = {
  0: [0, 0, 0.3],
  1: [0, 0, 0.31098039],
  63: [0, 0, 0.99176471],
  64: [0.00392157, 0.00392157, 1],
  127: [0.99215686, 0.99215686, 1],
  128: [1, 0.99215686, 0.99215686],
  191: [1, 0.00392157, 0.00392157],
  192: [0.99411765, 0, 0],
  254: [0.50784314, 0, 0],
  255: [0.5, 0, 0],
};

function entry(name: 'seismic' | 'seismic-dark' | 'bwr' | 'coldnhot' | 'gray', i: number): number[] {
  return Array.from(getColormap(name).lut.subarray(i * 4, i * 4 + 4));
}

describe('seismic (matplotlib)', () => {
  test('endpoints are (0, 0, 0.3) and (0.5, 0, 0)', () => {
    expect(colorAt('seismic', 0)).toEqual([0, 0, 0.3, 1]);
    expect(colorAt('seismic', 1)).toEqual([0.5, 0, 0, 1]);
  });

  test('midpoint is white within one 8-bit step', () => {
    const [r, g, b] = colorAt('seismic', 0.5);
    // matplotlib gives (1, 253/255, 253/255): entry 128 lies just past white at 127.5.
    for (const c of [r, g, b]) expect(1 - c).toBeLessThanOrEqual(2 / 255 + 1e-12);
    expect(r).toBe(1);
  });

  test('every listed entry equals matplotlib', () => {
    for (const [i, rgb] of Object.entries(SEISMIC_MPL)) {
      const got = entry('seismic', Number(i));
      rgb.forEach((c, k) => expect(got[k]).toBeCloseTo(c, 7));
      expect(got[3]).toBe(1);
    }
  });

  test('darkened variant is RGB × 0.85 with alpha 1 (the tutorial: my_cmap[:, 0:3] *= 0.85)', () => {
    for (const [i, rgb] of Object.entries(SEISMIC_MPL)) {
      const got = entry('seismic-dark', Number(i));
      rgb.forEach((c, k) => expect(got[k]).toBeCloseTo(c * 0.85, 7));
      expect(got[3]).toBe(1);
    }
    expect(colorAt('seismic-dark', 0)[2]).toBeCloseTo(0.255, 12);
    expect(colorAt('seismic-dark', 1)[0]).toBeCloseTo(0.425, 12);
  });

  test('bytes are the floats × 255, rounded', () => {
    const { lut8 } = getColormap('seismic-dark');
    expect(Array.from(lut8.subarray(0, 4))).toEqual([0, 0, 65, 255]); // 0.255 × 255 = 65.0
    expect(Array.from(lut8.subarray(128 * 4, 129 * 4))).toEqual([217, 215, 215, 255]); // 216.75, 215.05
    expect(Array.from(lut8.subarray(255 * 4))).toEqual([108, 0, 0, 255]); // 108.375
  });
});

describe('companions', () => {
  test('bwr: blue, white, red (matplotlib _bwr_data)', () => {
    expect(entry('bwr', 0)).toEqual([0, 0, 1, 1]);
    expect(entry('bwr', 255)).toEqual([1, 0, 0, 1]);
    // x = 127/255 lies 254/255 of the way from blue to white.
    const mid = entry('bwr', 127);
    expect(mid[0]).toBeCloseTo(254 / 255, 12);
    expect(mid[2]).toBe(1);
  });

  test("coldnhot: zennit's '0ff,00f,80:000,f00,ff0,fff' nodes at 0, 64, 128, 170, 212, 255", () => {
    expect(entry('coldnhot', 0)).toEqual([0, 1, 1, 1]);
    expect(entry('coldnhot', 64)).toEqual([0, 0, 1, 1]);
    expect(entry('coldnhot', 128)).toEqual([0, 0, 0, 1]);
    expect(entry('coldnhot', 170)).toEqual([1, 0, 0, 1]);
    expect(entry('coldnhot', 212)).toEqual([1, 1, 0, 1]);
    expect(entry('coldnhot', 255)).toEqual([1, 1, 1, 1]);
    // halfway between cyan (0) and blue (64): green 0.5
    expect(entry('coldnhot', 32)[1]).toBeCloseTo(0.5, 12);
  });

  test('gray: i / 255', () => {
    expect(entry('gray', 0)).toEqual([0, 0, 0, 1]);
    expect(entry('gray', 51)[0]).toBeCloseTo(0.2, 12);
    expect(entry('gray', 255)).toEqual([1, 1, 1, 1]);
  });

  test('all names resolve, unknown names fail with the list', () => {
    for (const name of COLORMAP_NAMES) expect(getColormap(name).lut).toHaveLength(1024);
    expect(() => getColormap('viridis' as never)).toThrow(/Unknown colormap "viridis".*seismic-dark/);
  });

  test('scaleColormap leaves the source untouched', () => {
    const gray = getColormap('gray');
    const half = scaleColormap(gray, 0.5, 'half-gray');
    expect(half.lut[255 * 4]).toBe(0.5);
    expect(gray.lut[255 * 4]).toBe(1);
  });
});

describe('value → entry as matplotlib', () => {
  test('lutIndex: floor(t·256), 1 → 255, clipped, NaN → -1', () => {
    expect(lutIndex(0)).toBe(0);
    expect(lutIndex(0.5)).toBe(128);
    expect(lutIndex(1)).toBe(255);
    expect(lutIndex(1 / 256 - 1e-12)).toBe(0);
    expect(lutIndex(-3)).toBe(0);
    expect(lutIndex(7)).toBe(255);
    expect(lutIndex(NaN)).toBe(-1);
  });

  test('applyColormap with symmetric limits (bytes from matplotlib: cm(Normalize(-1, 1)(v)))', () => {
    const values = [-2, -1, -0.5, 0, 0.5, 1, 2, NaN];
    const rgba = applyColormap(values, 'seismic-dark', { vmin: -1, vmax: 1 });
    const px = (k: number) => Array.from(rgba.subarray(k * 4, k * 4 + 4));
    expect(px(0)).toEqual([0, 0, 65, 255]);
    expect(px(1)).toEqual([0, 0, 65, 255]);
    expect(px(2)).toEqual([1, 1, 217, 255]);
    expect(px(3)).toEqual([217, 215, 215, 255]);
    expect(px(4)).toEqual([215, 0, 0, 255]);
    expect(px(5)).toEqual([108, 0, 0, 255]);
    expect(px(6)).toEqual([108, 0, 0, 255]);
    expect(px(7)).toEqual([0, 0, 0, 0]); // matplotlib's "bad" colour: transparent
  });

  test('applyColormap defaults to the data range; a constant map gets the middle colour', () => {
    const rgba = applyColormap([10, 20], 'gray');
    expect(Array.from(rgba)).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
    expect(Array.from(applyColormap([3, 3], 'gray'))).toEqual([128, 128, 128, 255, 128, 128, 128, 255]);
  });
});
