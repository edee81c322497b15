import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadLfwPeople, splitTutorial, summarizeDataset, TUTORIAL_LFW_OPTIONS } from '../src';
import { removeTmpDirs, tmpDir } from './fixtures';

const sharedDir = process.env.LRPJS_SHARED_DIR ?? path.resolve(__dirname, '../../../../shared');
const dataHome = path.join(sharedDir, 'data');
const present = fs.existsSync(path.join(dataHome, 'lfw_home', 'lfw_deepfunneled'));
if (!present)
  console.log(`SKIPPED real LFW subset tests: ${dataHome}/lfw_home/lfw_deepfunneled not found (set LRPJS_SHARED_DIR).`);
const describeReal = present ? describe : describe.skip;

// From shared/data/README.md.
const COUNTS: Record<string, number> = {
  'George W Bush': 530,
  'Colin Powell': 236,
  'Tony Blair': 144,
  'Donald Rumsfeld': 121,
  'Gerhard Schroeder': 109,
  'Ariel Sharon': 77,
  'Hugo Chavez': 71,
  'Junichiro Koizumi': 60,
  'Jean Chretien': 55,
  'John Ashcroft': 53,
  'Jacques Chirac': 52,
  'Serena Williams': 52,
  'Vladimir Putin': 49,
  'Luiz Inacio Lula da Silva': 48,
  'Gloria Macapagal Arroyo': 44,
  'Arnold Schwarzenegger': 42,
  'Jennifer Capriati': 42,
  'Laura Bush': 41,
  'Lleyton Hewitt': 41,
};

afterAll(removeTmpDirs);

describeReal('real LFW subset (deepfunneled, tutorial options) vs scikit-learn 1.2', () => {
  const options = { ...TUTORIAL_LFW_OPTIONS, variant: 'deepfunneled' as const, dataHome };
  let cacheDir: string;
  beforeAll(() => {
    cacheDir = tmpDir('lrpjs-real-cache-'); // a cold first load, whatever earlier runs cached
  });

  it('1867 images of 19 people, 64x64x3, scikit-learn order and pixels; a second load hits the cache', async () => {
    const ds = await loadLfwPeople({ ...options, cacheDir });
    expect(ds.info?.cache).toBe('miss');
    expect(ds.shape).toEqual([1867, 64, 64, 3]);
    expect(ds.targetNames).toEqual(Object.keys(COUNTS).sort());
    const summary = summarizeDataset(ds);
    expect(Object.fromEntries(summary.counts.map((c) => [c.name, c.count]))).toEqual(COUNTS);
    expect(Array.from(ds.targets.slice(0, 20))).toEqual([
      17, 17, 4, 2, 3, 16, 2, 3, 2, 2, 4, 5, 9, 2, 10, 4, 10, 4, 4, 8,
    ]);

    // Pixels scikit-learn returns (fetch_lfw_people on the same folder), as uint8 = round(v * 255).
    const at = (n: number, y: number, x: number): number[] =>
      Array.from(ds.images.subarray(((n * 64 + y) * 64 + x) * 3, ((n * 64 + y) * 64 + x) * 3 + 3)).map((v) =>
        Math.round(v * 255),
      );
    expect(at(0, 0, 0)).toEqual([105, 83, 55]);
    expect(at(0, 32, 32)).toEqual([239, 176, 123]);
    expect(at(100, 10, 50)).toEqual([14, 23, 21]);
    expect(at(977, 40, 7)).toEqual([105, 51, 15]);
    expect(at(1866, 63, 63)).toEqual([134, 33, 77]);
    expect(ds.images[0]).toBe(Math.fround(105 / 255));
    let sum = 0;
    for (let i = 0; i < 64 * 64 * 3; i++) sum += ds.images[i];
    expect(sum).toBeCloseTo(6902.3648, 3); // scikit-learn: images[0].sum() in float64
    let total = 0;
    for (const v of ds.images) total += v;
    expect(total / ds.images.length).toBeCloseTo(0.4653682332144977, 9);

    const t0 = performance.now();
    const again = await loadLfwPeople({ ...options, cacheDir });
    const warm = (performance.now() - t0) / 1000;
    expect(again.info?.cache).toBe('hit');
    // Byte comparison: Jest's toEqual walks typed arrays as objects, far too slow for 23M values.
    expect(
      Buffer.from(again.images.buffer, again.images.byteOffset, again.images.byteLength).equals(
        Buffer.from(ds.images.buffer, ds.images.byteOffset, ds.images.byteLength),
      ),
    ).toBe(true);
    console.log(
      `real subset: cold ${ds.info!.seconds.toFixed(2)} s, warm ${warm.toFixed(2)} s (2 shared cores, noisy)`,
    );

    const { train, test } = splitTutorial(ds);
    expect([train.shape[0], test.shape[0]]).toEqual([934, 933]);
    expect(Array.from(test.targets.slice(0, 5))).toEqual([17, 2, 16, 3, 2]);
  });

  it('grey (scikit-learn default channel handling) from the same cache entry', async () => {
    const ds = await loadLfwPeople({ ...options, cacheDir, color: false });
    expect(ds.info?.cache).toBe('hit');
    expect(ds.shape).toEqual([1867, 64, 64, 1]);
    expect(ds.images[0]).toBe(Math.fround(0.31764707)); // scikit-learn grey images[0, 0, 0]
    expect(ds.images[(5 * 64 + 20) * 64 + 30]).toBe(Math.fround(0.19346406)); // images[5, 20, 30]
  });
});
