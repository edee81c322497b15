import * as fs from 'node:fs';
import * as path from 'node:path';
import { faceGeometry, loadLfwPeople, summarizeDataset } from '../src';
import { FIXTURE_FOLDERS, fixtureColour, makeFixtureTree, removeTmpDirs, tmpDir } from './fixtures';

// Truth from scikit-learn 1.2 run once on the same tree (flat colours written by Pillow):
// fetch_lfw_people(data_home, min_faces_per_person=2, color=True).target
const SKLEARN_TARGETS_MIN2 = [3, 3, 1, 2, 2, 0, 1, 3, 0, 2, 0, 2];
const SKLEARN_NAMES_MIN2 = ['A B', 'AB', 'Carol Diaz', 'Eve Fox Grey'];
// ...and with min_faces_per_person=0
const SKLEARN_TARGETS_MIN0 = [4, 3, 1, 2, 2, 0, 1, 4, 0, 2, 4, 0, 2];
const SKLEARN_NAMES_MIN0 = ['A B', 'AB', 'Carol Diaz', 'Dan E', 'Eve Fox Grey'];
// Files in scikit-learn's order for min 2: scan order [AB_1, AB_2, A_B_1..3, Carol_1..4, Eve_1..3] permuted by
// RandomState(42).shuffle = [10, 9, 0, 8, 5, 2, 1, 11, 4, 7, 3, 6].
const ORDER_MIN2 = [
  'Eve_Fox_Grey_0002',
  'Eve_Fox_Grey_0001',
  'AB_0001',
  'Carol_Diaz_0004',
  'Carol_Diaz_0001',
  'A_B_0001',
  'AB_0002',
  'Eve_Fox_Grey_0003',
  'A_B_0003',
  'Carol_Diaz_0003',
  'A_B_0002',
  'Carol_Diaz_0002',
];

let dataHome: string;
beforeAll(async () => {
  dataHome = tmpDir();
  await makeFixtureTree(dataHome);
});
afterAll(removeTmpDirs);

describe('faceGeometry (scikit-learn size arithmetic)', () => {
  it('default slice 70:195 x 78:172, resize 0.5 -> 62 x 47 (the documented LFW shape)', () => {
    expect(faceGeometry()).toEqual({ top: 70, left: 78, cropHeight: 125, cropWidth: 94, height: 62, width: 47 });
  });
  it('tutorial slice 68:197 twice, resize 0.5 -> 64 x 64', () => {
    const g = faceGeometry(
      [
        [68, 197],
        [68, 197],
      ],
      0.5,
    );
    expect([g.height, g.width]).toEqual([64, 64]);
  });
  it('resize null keeps the crop, exact size overrides, steps shrink the count', () => {
    expect(faceGeometry(undefined, null)).toMatchObject({ height: 125, width: 94 });
    expect(
      faceGeometry(
        [
          [68, 197],
          [68, 197],
        ],
        { height: 150, width: 150 },
      ),
    ).toMatchObject({ cropHeight: 129, height: 150, width: 150 });
    // (195-70)//2 = 62, int(0.4*62) = 24; (172-78)//3 = 31, int(0.4*31) = 12
    expect(
      faceGeometry(
        [
          [70, 195, 2],
          [78, 172, 3],
        ],
        0.4,
      ),
    ).toMatchObject({ height: 24, width: 12 });
  });
  it('rejects slices outside the 250x250 frame', () => {
    expect(() =>
      faceGeometry([
        [0, 251],
        [0, 10],
      ]),
    ).toThrow(/slice rows .*0 <= start < stop <= 250/);
    expect(() =>
      faceGeometry([
        [10, 10],
        [0, 10],
      ]),
    ).toThrow(/invalid/);
    expect(() => faceGeometry(undefined, 0)).toThrow(/resize/);
  });
});

describe('loadLfwPeople on a generated fixture tree', () => {
  it('keeps people with >= minFacesPerPerson images, names/targets/order as scikit-learn', async () => {
    const ds = await loadLfwPeople({ dataHome, minFacesPerPerson: 2, color: true, cache: false });
    expect(ds.targetNames).toEqual(SKLEARN_NAMES_MIN2);
    expect(Array.from(ds.targets)).toEqual(SKLEARN_TARGETS_MIN2);
    expect(ds.filePaths.map((f) => path.basename(f, '.jpg'))).toEqual(ORDER_MIN2);
    expect(ds.shape).toEqual([12, 62, 47, 3]);
    expect(ds.images).toBeInstanceOf(Float32Array);
    expect(ds.images.length).toBe(12 * 62 * 47 * 3);
    expect(ds.info?.cache).toBe('off');
  });

  it('pixels are the (flat) JPEG colour / 255, in the shuffled order', async () => {
    const ds = await loadLfwPeople({ dataHome, minFacesPerPerson: 2, color: true, cache: false });
    const size = 62 * 47 * 3;
    ds.filePaths.forEach((f, k) => {
      const name = path.basename(path.dirname(f));
      const i = Number(path.basename(f, '.jpg').slice(-4)) - 1;
      const rgb = fixtureColour(FIXTURE_FOLDERS.indexOf(name), i);
      for (const at of [0, size / 2 - 1, size - 3]) {
        const offset = k * size + at - (at % 3);
        for (let c = 0; c < 3; c++) expect(Math.abs(ds.images[offset + c] * 255 - rgb[c])).toBeLessThanOrEqual(3); // JPEG error
      }
    });
    expect(ds.images.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('minFacesPerPerson 0 keeps everyone; folders that are not people are skipped', async () => {
    const ds = await loadLfwPeople({ dataHome, cache: false });
    expect(ds.targetNames).toEqual(SKLEARN_NAMES_MIN0);
    expect(Array.from(ds.targets)).toEqual(SKLEARN_TARGETS_MIN0);
    expect(ds.filePaths.some((f) => f.endsWith('notes.txt'))).toBe(false);
  });

  it('grey = mean of R, G, B after resizing (float32), shape c = 1', async () => {
    const rgb = await loadLfwPeople({ dataHome, minFacesPerPerson: 2, color: true, cache: false });
    const grey = await loadLfwPeople({ dataHome, minFacesPerPerson: 2, color: false, cache: false });
    expect(grey.shape).toEqual([12, 62, 47, 1]);
    for (const i of [0, 100, 5000, grey.images.length - 1]) {
      const f = Math.fround;
      const expected = f(f(f(rgb.images[3 * i] + rgb.images[3 * i + 1]) + rgb.images[3 * i + 2]) / 3);
      expect(grey.images[i]).toBe(expected);
    }
  });

  it('exact output size for backbones: resize {height: 150, width: 150}', async () => {
    const ds = await loadLfwPeople({
      dataHome,
      minFacesPerPerson: 4,
      slice: [
        [68, 197],
        [68, 197],
      ],
      resize: { height: 150, width: 150 },
      color: true,
      cache: false,
    });
    expect(ds.shape).toEqual([4, 150, 150, 3]);
    expect(ds.targetNames).toEqual(['Carol Diaz']);
  });

  it('summarizeDataset counts images per person', async () => {
    const ds = await loadLfwPeople({ dataHome, minFacesPerPerson: 2, cache: false });
    const s = summarizeDataset(ds);
    expect(s.images).toBe(12);
    expect(s.people).toBe(4);
    expect(s.shape).toEqual([12, 62, 47, 1]);
    expect(s.counts.map((c) => [c.name, c.count])).toEqual([
      ['A B', 3],
      ['AB', 2],
      ['Carol Diaz', 4],
      ['Eve Fox Grey', 3],
    ]);
  });

  it('reports decode progress up to the total', async () => {
    const seen: number[] = [];
    await loadLfwPeople({ dataHome, cache: false, onProgress: (p) => p.stage === 'decode' && seen.push(p.done) });
    expect(seen[seen.length - 1]).toBe(13);
  });

  it('leaves the fixture tree untouched apart from its cache folder', () => {
    expect(fs.readdirSync(path.join(dataHome, 'lfw_home')).sort()).toEqual(['lfw_funneled']);
  });
});
