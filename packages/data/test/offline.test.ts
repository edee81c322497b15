/**
 * Offline use and untrusted inputs: a local archive in lfw_home/ for every variant (no pairs*.txt, no network),
 * offline errors that name what works, archives that try to write outside or plant links and devices, folders
 * that cannot be created (/proc), and empty person folders.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar';
import { exportDataset, LFW_ARCHIVES, LFW_FOLDERS, loadLfwPeople, type LfwVariant } from '../src';
import { mkdirSteps } from '../src/paths';
import { FIXTURE_FOLDERS, flatJpeg, makeFixtureTree, removeTmpDirs, tmpDir } from './fixtures';

afterAll(removeTmpDirs);

const VARIANTS = Object.keys(LFW_FOLDERS) as LfwVariant[];

/** A .tgz of a fixture tree whose top folder is the variant's, as the real archives are laid out. */
async function fixtureArchive(variant: LfwVariant): Promise<Buffer> {
  const src = tmpDir();
  await makeFixtureTree(src, LFW_FOLDERS[variant]);
  const file = path.join(src, 'a.tgz');
  await tar.c({ gzip: true, file, cwd: path.join(src, 'lfw_home') }, [LFW_FOLDERS[variant]]);
  return fs.readFileSync(file);
}

describe('a local archive in lfw_home/ is used offline for every variant', () => {
  it.each(VARIANTS)('%s: extracted without network or pairs*.txt, and left where the user put it', async (variant) => {
    const dataHome = tmpDir();
    const lfwHome = path.join(dataHome, 'lfw_home');
    fs.mkdirSync(lfwHome);
    const archive = path.join(lfwHome, LFW_ARCHIVES[variant].filename);
    fs.writeFileSync(archive, await fixtureArchive(variant));

    const ds = await loadLfwPeople({ dataHome, variant, downloadIfMissing: false, minFacesPerPerson: 2 });
    // FIXTURE_PEOPLE with at least 2 images: AB 2, A_B 3, Carol_Diaz 4, Eve_Fox_Grey 3 (Dan_E has 1).
    expect(ds.shape[0]).toBe(12);
    expect(ds.targetNames).toEqual(['A B', 'AB', 'Carol Diaz', 'Eve Fox Grey']);
    expect(fs.existsSync(archive)).toBe(true);
    expect(fs.readdirSync(lfwHome).filter((f) => f.startsWith('pairs'))).toEqual([]);
  });
});

describe('offline errors name exactly what works', () => {
  it('names the image layout and the archive path for the variant asked for', async () => {
    const dataHome = tmpDir();
    const lfwHome = path.join(dataHome, 'lfw_home');
    const err = await loadLfwPeople({ dataHome, variant: 'funneled', downloadIfMissing: false }).catch((e) => e);
    expect(err.message).toContain(path.join(lfwHome, 'lfw_funneled', '<Person_Name>', '<Person_Name>_0001.jpg'));
    expect(err.message).toContain(`put the archive lfw-funneled.tgz at ${path.join(lfwHome, 'lfw-funneled.tgz')}`);
    expect(err.message).not.toContain('--variant');
  });

  it('says so when another variant is there (--variant deepfunneled?)', async () => {
    const dataHome = tmpDir();
    await makeFixtureTree(dataHome, 'lfw_deepfunneled');
    const err = await loadLfwPeople({ dataHome, variant: 'funneled', downloadIfMissing: false }).catch((e) => e);
    expect(err.message).toMatch(/another variant: lfw_deepfunneled\/ \(--variant deepfunneled\?\)/);

    const other = tmpDir();
    fs.mkdirSync(path.join(other, 'lfw_home'));
    fs.writeFileSync(path.join(other, 'lfw_home', 'lfw.tgz'), 'x');
    const err2 = await loadLfwPeople({ dataHome: other, variant: 'funneled', downloadIfMissing: false }).catch(
      (e) => e,
    );
    expect(err2.message).toMatch(/another variant: lfw\.tgz \(--variant original\?\)/);
  });
});

/** One ustar header block (POSIX.1-1988) for a crafted entry; `body` follows, padded to 512 bytes. */
function tarEntry(name: string, type: string, opts: { linkname?: string; body?: Buffer } = {}): Buffer {
  const body = opts.body ?? Buffer.alloc(0);
  const h = Buffer.alloc(512);
  const put = (text: string, offset: number, length: number) => h.write(text, offset, length, 'latin1');
  put(name, 0, 100);
  put('0000644\0', 100, 8);
  put('0000000\0', 108, 8);
  put('0000000\0', 116, 8);
  put(body.length.toString(8).padStart(11, '0') + '\0', 124, 12);
  put('00000000000\0', 136, 12);
  put('        ', 148, 8);
  put(type, 156, 1);
  put(opts.linkname ?? '', 157, 100);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  if (type === '3') {
    put('0000001\0', 329, 8); // devmajor 1, devminor 3: /dev/null
    put('0000003\0', 337, 8);
  }
  let sum = 0;
  for (const b of h) sum += b;
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  const pad = Buffer.alloc((512 - (body.length % 512)) % 512);
  return Buffer.concat([h, body, pad]);
}

async function craftedArchive(bad: Buffer): Promise<Buffer> {
  const jpeg = path.join(tmpDir(), 'a.jpg');
  await flatJpeg(jpeg, [10, 20, 30]);
  return gzipSync(
    Buffer.concat([
      tarEntry('lfw_funneled/', '5'),
      tarEntry('lfw_funneled/Ann_A/', '5'),
      tarEntry('lfw_funneled/Ann_A/Ann_A_0001.jpg', '0', { body: fs.readFileSync(jpeg) }),
      bad,
      Buffer.alloc(1024),
    ]),
  );
}

describe('archive extraction refuses entries that escape or are not plain files', () => {
  const outside = path.join(os.tmpdir(), `lrpjs-escape-${process.pid}`);
  afterAll(() => fs.rmSync(outside, { force: true }));

  it.each([
    ['a path with ..', tarEntry('lfw_funneled/../../../escape', '0', { body: Buffer.from('x') }), /points outside/],
    ['an absolute path', tarEntry(outside, '0', { body: Buffer.from('x') }), /points outside/],
    ['a symbolic link', tarEntry('lfw_funneled/Ann_A/link.jpg', '2', { linkname: '/etc/passwd' }), /symbolic link/],
    ['a hard link', tarEntry('lfw_funneled/Ann_A/hard.jpg', '1', { linkname: '/etc/passwd' }), /hard link/],
    ['a character device', tarEntry('lfw_funneled/Ann_A/null', '3'), /character device/],
    ['a named pipe', tarEntry('lfw_funneled/Ann_A/fifo', '6'), /named pipe/],
  ])('%s', async (_what, bad, why) => {
    const dataHome = tmpDir();
    const lfwHome = path.join(dataHome, 'lfw_home');
    fs.mkdirSync(lfwHome);
    const archive = path.join(lfwHome, 'lfw-funneled.tgz');
    fs.writeFileSync(archive, await craftedArchive(bad));
    const err = await loadLfwPeople({ dataHome, downloadIfMissing: false }).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toContain(archive);
    expect(err.message).toMatch(why);
    // Nothing was extracted: no image folder, no temp folder, nothing outside.
    expect(fs.readdirSync(lfwHome)).toEqual(['lfw-funneled.tgz']);
    expect(fs.existsSync(path.join(dataHome, 'escape'))).toBe(false);
    expect(fs.existsSync(path.join(os.tmpdir(), 'escape'))).toBe(false);
    expect(fs.existsSync(outside)).toBe(false);
  });

  it('the same archive without the bad entry extracts (the crafted tar itself is valid)', async () => {
    const dataHome = tmpDir();
    fs.mkdirSync(path.join(dataHome, 'lfw_home'));
    fs.writeFileSync(path.join(dataHome, 'lfw_home', 'lfw-funneled.tgz'), await craftedArchive(Buffer.alloc(0)));
    const ds = await loadLfwPeople({ dataHome, downloadIfMissing: false });
    expect(ds.targetNames).toEqual(['Ann A']);
  });
});

describe('folders that cannot be created fail at once, never spin', () => {
  const proc = fs.existsSync('/proc/self') ? it : it.skip;

  proc('/proc/x: ENOENT under a pseudo-filesystem', async () => {
    await expect(mkdirSteps('/proc/lrpjs-x/y')).rejects.toThrow(
      /Cannot create folder \/proc\/lrpjs-x\/y: \/proc does not accept new folders \(ENOENT\)/,
    );
    const ds = { images: new Float32Array(3), shape: [1, 1, 1, 3], targets: new Int32Array(1), targetNames: ['A'] };
    await expect(exportDataset(ds as never, '/proc/lrpjs-x')).rejects.toThrow(/\/proc\/lrpjs-x/);
  });

  it('a path under a file: ENOTDIR names the file', async () => {
    const file = path.join(tmpDir(), 'plain');
    fs.writeFileSync(file, 'x');
    await expect(mkdirSteps(path.join(file, 'a', 'b'))).rejects.toThrow(
      new RegExp(`${file.replace(/[/\\.]/g, '\\$&')} exists and is not a folder \\(ENOTDIR\\)`),
    );
  });

  it('creates missing parents one by one, and accepts a folder that exists', async () => {
    const dir = path.join(tmpDir(), 'a', 'b', 'c');
    await mkdirSteps(dir);
    await mkdirSteps(dir);
    expect(fs.statSync(dir).isDirectory()).toBe(true);
  });
});

describe('minFacesPerPerson 0 with an empty person folder', () => {
  it('gives the empty folder no class index, as scikit-learn does', async () => {
    const dataHome = tmpDir();
    const root = await makeFixtureTree(dataHome);
    fs.mkdirSync(path.join(root, 'Zed_Empty'));
    fs.mkdirSync(path.join(root, 'Aaa_Empty'));
    const ds = await loadLfwPeople({ dataHome, minFacesPerPerson: 0 });
    // The five fixture people only (sorted display names), none of the empty folders.
    expect(ds.targetNames).toEqual(['A B', 'AB', 'Carol Diaz', 'Dan E', 'Eve Fox Grey']);
    expect(ds.targetNames).toHaveLength(FIXTURE_FOLDERS.length);
    expect(Math.max(...ds.targets)).toBe(4);
  });
});
