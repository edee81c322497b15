import { decodeNpy } from '@lrpjs/data';
import fs from 'node:fs';
import path from 'node:path';
import { HAVE_SHARED_DATA, runCli, SHARED_DATA, tempDir } from './helpers';

// The real LFW subset: counts from /work/shared/data/README.md, order from scikit-learn 1.2.
const SKLEARN_FIRST_20 = [17, 17, 4, 2, 3, 16, 2, 3, 2, 2, 4, 5, 9, 2, 10, 4, 10, 4, 4, 8];

const describeData = HAVE_SHARED_DATA ? describe : describe.skip;
if (!HAVE_SHARED_DATA)
  console.warn(
    `SKIPPED: lrpjs data on the real subset — ${SHARED_DATA}/lfw_home/lfw_deepfunneled is missing (set LRPJS_SHARED_DIR)`,
  );

describeData('lrpjs data on the real LFW subset', () => {
  it('prints the summary and exports numpy files', async () => {
    const out = path.join(tempDir(), 'export');
    const r = await runCli(['data', '--data-home', SHARED_DATA, '--variant', 'deepfunneled', '--export', out]);
    expect(r.stderr).not.toMatch(/^lrpjs:/m);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1867 images of 19 people');
    expect(r.stdout).toMatch(/1867x64x64x3/);
    expect(r.stdout).toMatch(/George W Bush\s+530/);
    expect(r.stdout).toMatch(/Lleyton Hewitt\s+41/);
    expect(r.stdout).toContain('train 934 ([::2]), test 933 ([1::2])');
    expect(r.stdout).toMatch(/loaded in [\d.]+ s/);

    const images = decodeNpy(new Uint8Array(fs.readFileSync(path.join(out, 'images.npy'))));
    expect(images.data).toBeInstanceOf(Float32Array);
    expect(images.shape).toEqual([1867, 64, 64, 3]);
    const targets = decodeNpy(new Uint8Array(fs.readFileSync(path.join(out, 'targets.npy'))));
    expect(targets.shape).toEqual([1867]);
    expect(Array.from(targets.data.subarray(0, 20))).toEqual(SKLEARN_FIRST_20);
    const names = JSON.parse(fs.readFileSync(path.join(out, 'target_names.json'), 'utf8')) as string[];
    expect(names).toHaveLength(19);
    expect(names[4]).toBe('George W Bush');
    expect([...names].sort()).toEqual(names);
  });
});
