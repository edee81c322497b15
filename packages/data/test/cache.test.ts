import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadLfwPeople } from '../src';
import { flatJpeg, listFilesRecursive, makeFixtureTree, removeTmpDirs, tmpDir } from './fixtures';

afterAll(removeTmpDirs);

const cacheBins = (dir: string): string[] => listFilesRecursive(dir).filter((f) => f.endsWith('.bin'));

describe('decoded-pixel cache', () => {
  it('second load is a cache hit with identical arrays; colour and grey share one entry', async () => {
    const dataHome = tmpDir();
    await makeFixtureTree(dataHome);
    const opts = { dataHome, minFacesPerPerson: 2, color: true };
    const first = await loadLfwPeople(opts);
    expect(first.info?.cache).toBe('miss');
    expect(first.info?.cacheFile).toBe(
      path.join(dataHome, 'lfw_home', '.lrpjs-cache', path.basename(first.info!.cacheFile!)),
    );
    const second = await loadLfwPeople(opts);
    expect(second.info?.cache).toBe('hit');
    expect(second.images).toEqual(first.images);
    expect(second.targets).toEqual(first.targets);
    expect(second.filePaths).toEqual(first.filePaths);
    const grey = await loadLfwPeople({ ...opts, color: false });
    expect(grey.info?.cache).toBe('hit');
    expect(grey.shape[3]).toBe(1);
    expect(cacheBins(path.join(dataHome, 'lfw_home', '.lrpjs-cache'))).toHaveLength(1);
    // No temp files are left next to the entry.
    expect(fs.readdirSync(path.join(dataHome, 'lfw_home', '.lrpjs-cache')).every((f) => f.endsWith('.bin'))).toBe(true);
  });

  it('options that change pixels or the file set get their own entry', async () => {
    const dataHome = tmpDir();
    const root = await makeFixtureTree(dataHome);
    const base = { dataHome, minFacesPerPerson: 2 };
    await loadLfwPeople(base);
    expect((await loadLfwPeople({ ...base, resize: 0.25 })).info?.cache).toBe('miss');
    expect(
      (
        await loadLfwPeople({
          ...base,
          slice: [
            [60, 190],
            [60, 190],
          ],
        })
      ).info?.cache,
    ).toBe('miss');
    expect((await loadLfwPeople({ ...base, minFacesPerPerson: 3 })).info?.cache).toBe('miss');
    // A replaced image (new mtime) invalidates the entry.
    const f = path.join(root, 'AB', 'AB_0001.jpg');
    await flatJpeg(f, [200, 0, 0]);
    fs.utimesSync(f, new Date(), new Date(Date.now() + 5000));
    const after = await loadLfwPeople(base);
    expect(after.info?.cache).toBe('miss');
    const k = after.filePaths.indexOf(f);
    // Grey of the new red (200, 0, 0) is ~66.7; the stale cached colour (10, 10, 128) would give ~49.
    expect(Math.abs(after.images[k * 62 * 47] * 255 - 200 / 3)).toBeLessThanOrEqual(2);
    expect((await loadLfwPeople(base)).info?.cache).toBe('hit');
  });

  it('cache: false neither reads nor writes', async () => {
    const dataHome = tmpDir();
    await makeFixtureTree(dataHome);
    const ds = await loadLfwPeople({ dataHome, cache: false });
    expect(ds.info?.cache).toBe('off');
    expect(fs.existsSync(path.join(dataHome, 'lfw_home', '.lrpjs-cache'))).toBe(false);
  });

  it('a read-only data home is left untouched; the cache goes under os.tmpdir()', async () => {
    const dataHome = tmpDir();
    await makeFixtureTree(dataHome);
    const lfwHome = path.join(dataHome, 'lfw_home');
    fs.chmodSync(lfwHome, 0o555);
    let fallback: string | undefined;
    try {
      const first = await loadLfwPeople({ dataHome });
      fallback = path.dirname(first.info!.cacheFile!);
      expect(path.dirname(fallback)).toBe(path.join(os.tmpdir(), 'lrpjs-cache'));
      expect((await loadLfwPeople({ dataHome })).info?.cache).toBe('hit');
      expect(fs.readdirSync(lfwHome)).toEqual(['lfw_funneled']);
    } finally {
      fs.chmodSync(lfwHome, 0o755);
      if (fallback) fs.rmSync(fallback, { recursive: true, force: true });
    }
  });

  it('an unusable cache file (truncated) is reported once and replaced', async () => {
    const dataHome = tmpDir();
    await makeFixtureTree(dataHome);
    const first = await loadLfwPeople({ dataHome });
    fs.truncateSync(first.info!.cacheFile!, 100);
    const warnings: string[] = [];
    const onWarning = (m: string) => warnings.push(m);
    const again = await loadLfwPeople({ dataHome, onWarning });
    expect(again.info?.cache).toBe('rebuilt');
    expect(again.images).toEqual(first.images);
    expect((await loadLfwPeople({ dataHome, onWarning })).info?.cache).toBe('hit');
    expect(warnings).toHaveLength(1);
  });

  it('same-length damage inside the pixels is caught by the checksum, reported once, and rebuilt', async () => {
    const dataHome = tmpDir();
    await makeFixtureTree(dataHome);
    const first = await loadLfwPeople({ dataHome });
    const file = first.info!.cacheFile!;
    const bytes = fs.readFileSync(file);
    const size = bytes.length;
    // Black out the last pixel bytes (the header is at the front): the length and header stay valid.
    bytes.fill(0, size - 50 * 37 * 3);
    fs.writeFileSync(file, bytes);
    expect(fs.statSync(file).size).toBe(size);

    const warnings: string[] = [];
    const onWarning = (m: string) => warnings.push(m);
    const again = await loadLfwPeople({ dataHome, onWarning });
    expect(again.info?.cache).toBe('rebuilt');
    expect(again.info?.cacheDamage).toMatch(/checksum mismatch/);
    expect(Buffer.from(again.images.buffer).equals(Buffer.from(first.images.buffer))).toBe(true);
    expect(warnings).toEqual([expect.stringContaining(file)]);
    const third = await loadLfwPeople({ dataHome, onWarning });
    expect(third.info?.cache).toBe('hit');
    expect(warnings).toHaveLength(1);
  });

  it('nothing is cached from a failed load', async () => {
    const dataHome = tmpDir();
    const root = await makeFixtureTree(dataHome);
    fs.writeFileSync(path.join(root, 'Carol_Diaz', 'Carol_Diaz_0002.jpg'), 'garbage');
    await expect(loadLfwPeople({ dataHome })).rejects.toThrow(/Carol_Diaz_0002\.jpg/);
    expect(cacheBins(path.join(dataHome, 'lfw_home'))).toEqual([]);
  });
});
