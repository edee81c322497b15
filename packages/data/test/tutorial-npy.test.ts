import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  encodeNpy,
  exportDataset,
  formatSummary,
  normalizeTutorial,
  runDataCommand,
  splitTutorial,
  summarizeDataset,
  TUTORIAL_LFW_OPTIONS,
  TUTORIAL_NORMALIZATION,
  writeNpy,
  type LfwDataset,
} from '../src';
import { makeFixtureTree, removeTmpDirs, tmpDir } from './fixtures';

afterAll(removeTmpDirs);

/** 5 images of 1x2x1 whose pixel values encode their index: image i = [i/10, i/10 + 0.05]. */
function tiny(): LfwDataset {
  const images = new Float32Array(10);
  for (let i = 0; i < 5; i++) images.set([i / 10, i / 10 + 0.05], 2 * i);
  return {
    images,
    shape: [5, 1, 2, 1],
    targets: Int32Array.from([0, 1, 0, 1, 1]),
    targetNames: ['a', 'b'],
    filePaths: ['f0', 'f1', 'f2', 'f3', 'f4'],
  };
}

describe('tutorial helpers', () => {
  it('TUTORIAL_LFW_OPTIONS are the tutorial fetch_lfw_people arguments', () => {
    expect(TUTORIAL_LFW_OPTIONS).toEqual({
      slice: [
        [68, 197],
        [68, 197],
      ],
      resize: 0.5,
      minFacesPerPerson: 40,
      color: true,
    });
    expect(TUTORIAL_NORMALIZATION).toEqual({ scale: 3, offset: -1.5 });
  });

  it('splitTutorial: train = [::2], test = [1::2]', () => {
    const { train, test } = splitTutorial(tiny());
    expect(train.shape).toEqual([3, 1, 2, 1]);
    expect(test.shape).toEqual([2, 1, 2, 1]);
    expect(train.filePaths).toEqual(['f0', 'f2', 'f4']);
    expect(test.filePaths).toEqual(['f1', 'f3']);
    expect(Array.from(train.targets)).toEqual([0, 0, 1]);
    expect(Array.from(test.targets)).toEqual([1, 1]);
    expect(Array.from(test.images)).toEqual(Array.from(Float32Array.from([0.1, 0.15, 0.3, 0.35])));
    expect(train.targetNames).toEqual(['a', 'b']);
  });

  it('normalizeTutorial: x * 3 - 1.5 into a new array', () => {
    const x = Float32Array.from([0, 0.5, 1, 0.25]);
    const y = normalizeTutorial(x);
    expect(Array.from(y)).toEqual([-1.5, 0, 1.5, -0.75]);
    expect(y).not.toBe(x);
    expect(Array.from(x)).toEqual([0, 0.5, 1, 0.25]);
    // float32 rounding of the product first (as PyTorch): 0.1f*3 rounds to 0.3000000119..., minus 1.5.
    expect(normalizeTutorial(Float32Array.from([0.1]))[0]).toBe(Math.fround(Math.fround(Math.fround(0.1) * 3) - 1.5));
  });
});

describe('NPY files', () => {
  // Expected bytes: numpy 1.24 np.save of the same arrays.
  const header = (dict: string): string => `\x93NUMPY\x01\x00v\x00${dict}`.padEnd(127, ' ') + '\n';

  it('float32 2x3 matches np.save byte for byte', () => {
    const bytes = encodeNpy(Float32Array.from([0, 0.25, 0.5, 0.75, 1, 1.25]), [2, 3]);
    expect(bytes.length).toBe(152);
    expect(Buffer.from(bytes.subarray(0, 128)).toString('latin1')).toBe(
      header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"),
    );
    expect(Buffer.from(bytes.subarray(128)).toString('hex')).toBe('000000000000803e0000003f0000403f0000803f0000a03f');
  });

  it('int32 vector matches np.save byte for byte', () => {
    const bytes = encodeNpy(Int32Array.from([3, -1, 7]), [3]);
    expect(bytes.length).toBe(140);
    expect(Buffer.from(bytes.subarray(0, 128)).toString('latin1')).toBe(
      header("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }"),
    );
    expect(Buffer.from(bytes.subarray(128)).toString('hex')).toBe('03000000ffffffff07000000');
  });

  it('rejects a shape that does not fit the array', () => {
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrow(/shape \[2, 3\] holds 6 values but the array has 5/);
  });

  it('writeNpy and exportDataset write complete files (same bytes as encodeNpy)', async () => {
    const dir = tmpDir();
    const ds = tiny();
    await writeNpy(path.join(dir, 'x.npy'), ds.images, ds.shape);
    expect(new Uint8Array(fs.readFileSync(path.join(dir, 'x.npy')))).toEqual(encodeNpy(ds.images, ds.shape));
    const out = await exportDataset(ds, path.join(dir, 'export'));
    expect(fs.readdirSync(path.join(dir, 'export')).sort()).toEqual(['images.npy', 'target_names.json', 'targets.npy']);
    expect(new Uint8Array(fs.readFileSync(out.targets))).toEqual(encodeNpy(ds.targets, [5]));
    expect(fs.readFileSync(out.images).subarray(0, 128).toString('latin1')).toContain("'shape': (5, 1, 2, 1)");
    expect(JSON.parse(fs.readFileSync(out.targetNames, 'utf8'))).toEqual(['a', 'b']);
  });
});

describe('summary and the CLI data command', () => {
  it('formatSummary lists people by decreasing count', () => {
    const text = formatSummary(summarizeDataset(tiny()));
    expect(text.split('\n')).toEqual([
      '5 images of 2 people, images 5x1x2x1 (NHWC float32 in [0, 1])',
      '    1  b      3',
      '    0  a      2',
    ]);
  });

  it('runDataCommand loads with tutorial options by default and exports', async () => {
    const dataHome = tmpDir();
    await makeFixtureTree(dataHome);
    const lines: string[] = [];
    const stages = new Set<string>();
    const exportDir = path.join(dataHome, 'out');
    // minFacesPerPerson overrides the tutorial's 40 (the fixture has at most 4 per person).
    const r = await runDataCommand({
      dataHome,
      minFacesPerPerson: 3,
      exportDir,
      log: (l) => lines.push(l),
      onProgress: (p) => stages.add(p.stage),
    });
    expect(r.summary.shape).toEqual([10, 64, 64, 3]);
    expect(r.summary.people).toBe(3);
    expect(lines[0].split('\n')[0]).toBe('10 images of 3 people, images 10x64x64x3 (NHWC float32 in [0, 1])');
    expect(lines.some((l) => /^loaded from .* in \d+\.\d\d s \(cache miss\)$/.test(l))).toBe(true);
    expect(fs.statSync(r.exported!.images).size).toBe(128 + 10 * 64 * 64 * 3 * 4);
    expect(r.seconds.export).toBeGreaterThanOrEqual(0);
    // Progress reaches the caller's callback (the library draws nothing itself).
    expect(stages.size).toBeGreaterThan(0);
  });
});
