import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { loadLfwPeople } from '../src';
import { flatJpeg, makeFixtureTree, removeTmpDirs, tmpDir } from './fixtures';

afterAll(removeTmpDirs);

async function treeWith(mutate: (root: string) => Promise<void> | void): Promise<string> {
  const dataHome = tmpDir();
  const root = await makeFixtureTree(dataHome);
  await mutate(root);
  return dataHome;
}

describe('bad input fails with an error naming the file and the problem', () => {
  it('truncated JPEG', async () => {
    const dataHome = await treeWith((root) => {
      const f = path.join(root, 'A_B', 'A_B_0002.jpg');
      const bytes = fs.readFileSync(f);
      fs.writeFileSync(f, bytes.subarray(0, Math.floor(bytes.length / 2)));
    });
    await expect(loadLfwPeople({ dataHome, cache: false })).rejects.toThrow(
      /A_B_0002\.jpg is corrupt and cannot be decoded/,
    );
  });

  it('a PNG (or any non-JPEG) under a person', async () => {
    const dataHome = await treeWith(async (root) => {
      await sharp({ create: { width: 250, height: 250, channels: 3, background: '#808080' } })
        .png()
        .toFile(path.join(root, 'AB', 'AB_0003.png'));
    });
    await expect(loadLfwPeople({ dataHome, cache: false })).rejects.toThrow(
      /AB_0003\.png is not a JPEG \(starts with 89504e47/,
    );
  });

  it('an empty file', async () => {
    const dataHome = await treeWith((root) => fs.writeFileSync(path.join(root, 'Dan_E', 'Dan_E_0002.jpg'), ''));
    await expect(loadLfwPeople({ dataHome, cache: false })).rejects.toThrow(
      /Dan_E_0002\.jpg is not a JPEG \(starts with empty file/,
    );
  });

  it('an image that is not the 250x250 LFW frame', async () => {
    const dataHome = await treeWith((root) =>
      flatJpeg(path.join(root, 'Eve_Fox_Grey', 'Eve_Fox_Grey_0002.jpg'), [1, 2, 3], 100),
    );
    await expect(loadLfwPeople({ dataHome, cache: false })).rejects.toThrow(
      /Eve_Fox_Grey_0002\.jpg is 100x100, expected the 250x250 LFW frame/,
    );
  });

  it('an image folder without person folders', async () => {
    const dataHome = tmpDir();
    fs.mkdirSync(path.join(dataHome, 'lfw_home', 'lfw_funneled'), { recursive: true });
    await expect(loadLfwPeople({ dataHome })).rejects.toThrow(/lfw_funneled contains no person folders/);
  });

  it('a missing folder with downloads off says where to put the files', async () => {
    const dataHome = tmpDir();
    const err = await loadLfwPeople({ dataHome, variant: 'deepfunneled', downloadIfMissing: false }).catch(
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(
      path.join(dataHome, 'lfw_home', 'lfw_deepfunneled', '<Person_Name>', '<Person_Name>_0001.jpg'),
    );
    expect((err as Error).message).toMatch(/downloadIfMissing is false/);
    expect((err as Error).message).toMatch(/LRPJS_DATA_HOME/);
  });

  it('deepfunneled has no published source: refuses to download without a checksum', async () => {
    const dataHome = tmpDir();
    await expect(loadLfwPeople({ dataHome, variant: 'deepfunneled', baseUrl: 'http://127.0.0.1:9' })).rejects.toThrow(
      /no published SHA-256 for lfw-deepfunneled\.tgz/,
    );
  });

  it('minFacesPerPerson too high', async () => {
    const dataHome = await treeWith(() => undefined);
    await expect(loadLfwPeople({ dataHome, minFacesPerPerson: 50 })).rejects.toThrow(
      /minFacesPerPerson=50 is too restrictive.*the most is 4/,
    );
  });

  it('invalid options', async () => {
    await expect(loadLfwPeople({ dataHome: tmpDir(), minFacesPerPerson: -1 })).rejects.toThrow(/minFacesPerPerson/);
    await expect(loadLfwPeople({ dataHome: tmpDir(), variant: 'x' as never })).rejects.toThrow(
      /Unknown LFW variant 'x'/,
    );
  });
});
