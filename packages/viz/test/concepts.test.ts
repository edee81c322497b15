import { conceptPanel, createImage } from '../src';

describe('conceptPanel', () => {
  it('lays out the image row and one row per concept, crops resized to the tile', () => {
    const image = createImage(8, 8, [10, 20, 30, 255]);
    const heatmap = new Float32Array(64).fill(0);
    heatmap[0] = 1;
    const crop = createImage(5, 3, [200, 0, 0, 255]);
    const panel = conceptPanel({
      image,
      heatmap,
      concepts: [
        { label: 'ch 1 · 60%', heatmap, crops: [crop, crop] },
        { label: 'ch 4 · 40%', heatmap: new Float32Array(64), crops: [crop] },
      ],
      tile: 16,
    });
    // 4 columns (label/image, heatmap, 2 crops) × 3 rows of 16-pixel tiles plus padding and labels
    expect(panel.width).toBeGreaterThanOrEqual(4 * 16);
    expect(panel.height).toBeGreaterThanOrEqual(3 * 16);
    // the image tile (top left, after the padding of 4) shows the image's colour, enlarged ×2
    const p = (4 * panel.width + 4) * 4;
    expect(Array.from(panel.data.subarray(p, p + 4))).toEqual([10, 20, 30, 255]);
    expect(() => conceptPanel({ image, heatmap: new Float32Array(10), concepts: [] })).toThrow(/10 values for a 8×8/);
  });
});
