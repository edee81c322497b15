import {
  colorbar,
  composeGrid,
  createImage,
  drawText,
  fitText,
  heatmapRow,
  imageRow,
  imageToRgba,
  measureText,
  overlay,
  scaleNearest,
  toAscii,
  type RgbaImage,
} from '../src';
import { FONT, GLYPH_HEIGHT } from '../src/font';

const px = (img: RgbaImage, x: number, y: number) =>
  Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4));
const RED = [255, 0, 0, 255] as const;
const BLUE = [0, 0, 255, 255] as const;

describe('composeGrid', () => {
  test('size: padding + columns × cell + gaps (3 tiles of 10×8, 2 columns, padding 4)', () => {
    const tiles = [createImage(10, 8, RED), createImage(10, 8, BLUE), createImage(10, 8, RED)];
    const grid = composeGrid(tiles, { columns: 2 });
    expect([grid.width, grid.height]).toEqual([4 + 10 + 4 + 10 + 4, 4 + 8 + 4 + 8 + 4]);
    expect(px(grid, 0, 0)).toEqual([255, 255, 255, 255]); // background
    expect(px(grid, 4, 4)).toEqual([...RED]); // tile 0 top-left
    expect(px(grid, 18, 4)).toEqual([...BLUE]); // tile 1 at x = 4 + 10 + 4
    expect(px(grid, 4, 16)).toEqual([...RED]); // tile 2 at y = 4 + 8 + 4
    expect(px(grid, 18, 16)).toEqual([255, 255, 255, 255]); // empty cell
  });

  test('labels add a gap (padding / 2) and one 9-pixel line at scale 2 under each row', () => {
    const tiles = [createImage(10, 8, RED), createImage(10, 8, BLUE), createImage(10, 8, RED)];
    const grid = composeGrid(tiles, { columns: 2, labels: ['A', 'B', 'C'] });
    expect(grid.height).toBe(4 + 2 * (8 + 2 + 18) + 4 + 4);
    // 'A' is 10 px wide at scale 2: it fits the 10 px cell, so the scale stays 2; its top row is '.###.'.
    const y = 4 + 8 + 2;
    expect(px(grid, 4, y)).toEqual([255, 255, 255, 255]);
    expect(px(grid, 4 + 2, y)).toEqual([17, 17, 17, 255]);
  });

  test('tileScale enlarges without smoothing; differently sized tiles are centred', () => {
    const a = createImage(2, 2, RED);
    a.data.set(BLUE, 0); // top-left pixel blue
    const grid = composeGrid([a, createImage(1, 1, BLUE)], { tileScale: 3, padding: 0 });
    expect([grid.width, grid.height]).toEqual([12, 6]);
    expect(px(grid, 2, 2)).toEqual([...BLUE]);
    expect(px(grid, 3, 3)).toEqual([...RED]);
    // 3×3 tile centred in a 6×6 cell starting at x = 6: covers x 7..9, y 1..3.
    expect(px(grid, 6, 1)).toEqual([255, 255, 255, 255]);
    expect(px(grid, 7, 1)).toEqual([...BLUE]);
    expect(px(grid, 9, 3)).toEqual([...BLUE]);
    expect(px(grid, 10, 4)).toEqual([255, 255, 255, 255]);
  });

  test('row labels and title widen and heighten the grid by their text size', () => {
    const tiles = [createImage(10, 10, RED)];
    const plain = composeGrid(tiles);
    const labelled = composeGrid(tiles, { rowLabels: ['net1'], title: 'T' });
    expect(labelled.width - plain.width).toBe(measureText('net1', 2).width + 8);
    expect(labelled.height - plain.height).toBe(20 + 4);
  });

  test('long labels drop to scale 1 and then get shortened', () => {
    expect(fitText('Schwarzenegger', 40, 1)).toBe('Schw..');
    const grid = composeGrid([createImage(64, 4, RED)], { labels: ['Schwarzenegger'] });
    expect(grid.height).toBe(4 + 4 + 2 + 9 + 4); // scale 1 label
  });

  test('bad input', () => {
    expect(() => composeGrid([])).toThrow(/no tiles/);
    expect(() => composeGrid([createImage(1, 1)], { columns: 0 })).toThrow(/columns must be an integer/);
    expect(() => composeGrid([{ width: 2, height: 2, data: new Uint8ClampedArray(3) }])).toThrow(/tile 0.*needs 16/);
  });
});

describe('text', () => {
  test('every printable ASCII glyph is defined, distinct and inked (space excepted)', () => {
    expect(FONT).toHaveLength(95);
    const keys = FONT.map((g) => Array.from(g).join(','));
    expect(new Set(keys).size).toBe(95);
    FONT.forEach((g, k) => {
      if (k > 0) expect(g.some((row) => row !== 0)).toBe(true);
      expect(g).toHaveLength(GLYPH_HEIGHT);
    });
  });

  test('drawText puts the glyph rows where the font says ("T": full top row, then a centre stem)', () => {
    const img = createImage(5, 9, [255, 255, 255, 255]);
    drawText(img, 'T', 0, 0, { scale: 1, color: [0, 0, 0, 255] });
    for (let x = 0; x < 5; x++) expect(px(img, x, 0)[0]).toBe(0);
    expect(px(img, 2, 5)[0]).toBe(0);
    expect(px(img, 1, 5)[0]).toBe(255);
  });

  test('non-ASCII text is transliterated', () => {
    expect(toAscii('Schröder – Ø')).toBe('Schroder ? ?');
    expect(measureText('abc', 2)).toEqual({ width: (3 * 6 - 1) * 2, height: 18 });
  });
});

describe('images and figures', () => {
  test('imageToRgba maps [0, 1] floats to bytes, gray to three channels', () => {
    const img = imageToRgba(new Float32Array([0, 0.5, 1, 1, 0, 0]), [1, 2, 3]);
    expect(Array.from(img.data)).toEqual([0, 128, 255, 255, 255, 0, 0, 255]);
    const gray = imageToRgba([0.2], [1, 1]);
    expect(Array.from(gray.data)).toEqual([51, 51, 51, 255]);
    const net = imageToRgba([-1.5, 1.5, 0], [1, 1, 3], { range: [-1.5, 1.5] });
    expect(Array.from(net.data)).toEqual([0, 255, 128, 255]);
  });

  test('overlay: alpha blend over the gray base', () => {
    const base = createImage(1, 1, [100, 100, 100, 255]);
    const heat = createImage(1, 1, [200, 0, 0, 255]);
    const out = overlay(base, heat, { alpha: 0.5 });
    expect(Array.from(out.data)).toEqual([150, 50, 50, 255]);
    const clear = createImage(1, 1, [200, 0, 0, 0]);
    expect(Array.from(overlay(base, clear).data)).toEqual([100, 100, 100, 255]);
    expect(() => overlay(base, createImage(2, 1))).toThrow(/same size/);
  });

  test('scaleNearest', () => {
    const img = scaleNearest(createImage(2, 1, RED), 2);
    expect([img.width, img.height]).toEqual([4, 2]);
    expect(px(img, 3, 1)).toEqual([...RED]);
  });

  test("imageRow and heatmapRow lay out the tutorial's 8 images the same way", () => {
    const n = 8;
    const images = new Float32Array(n * 64 * 64 * 3).fill(0.5);
    const relevance = new Float32Array(n * 64 * 64 * 3);
    relevance[5] = 2;
    const labels = ['Bush', 'Powell', 'Blair', 'Rumsfeld', 'Schroeder', 'Chavez', 'Sharon', 'Arroyo'];
    const top = imageRow(images, [n, 64, 64, 3], { labels });
    const { image, limits } = heatmapRow(relevance, [n, 64, 64, 3], { labels });
    expect([top.width, top.height]).toEqual([4 + 8 * 128 + 7 * 4 + 4, 4 + 128 + 2 + 18 + 4]);
    expect([image.width, image.height]).toEqual([top.width, top.height]);
    expect(limits[7]).toEqual({ vmin: -2, vmax: 2 });
  });

  test('colorbar runs from the first to the last entry', () => {
    const bar = colorbar('gray', { width: 3, height: 1 });
    expect(Array.from(bar.data)).toEqual([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
  });
});
