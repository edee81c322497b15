/** Opening runs from zips and picked files, in Node (File and fflate work the same as in the browser). */
import { zipSync } from 'fflate';
import { filesFromZip, isZip } from '../src/open/zip';
import { relativeFile } from '../src/open/relativeFile';
import { filesRunSource } from '../src/run/source';

const enc = new TextEncoder();
// The CLI's model.json names its weights './weights.bin'.
const MODEL_JSON = JSON.stringify({ weightsManifest: [{ paths: ['./weights.bin'], weights: [] }] });

function runZip(prefix: string): File {
  const bytes = zipSync({
    [`${prefix}metrics.json`]: enc.encode('{"nets":{}}'),
    [`${prefix}models/net1/model.json`]: enc.encode(MODEL_JSON),
    [`${prefix}models/net1/weights.bin`]: new Uint8Array([1, 2, 3, 4]),
  });
  return new File([bytes as BlobPart], 'run.zip', { type: 'application/zip' });
}

describe('filesFromZip', () => {
  test('gives each entry its path inside the archive and its base name', async () => {
    const files = await filesFromZip(runZip('20250101-120000/'));
    const byPath = Object.fromEntries(files.map((f) => [f.webkitRelativePath, f]));
    expect(Object.keys(byPath).sort()).toEqual([
      '20250101-120000/metrics.json',
      '20250101-120000/models/net1/model.json',
      '20250101-120000/models/net1/weights.bin',
    ]);
    expect(byPath['20250101-120000/models/net1/weights.bin'].name).toBe('weights.bin');
    expect(Array.from(new Uint8Array(await byPath['20250101-120000/models/net1/weights.bin'].arrayBuffer()))).toEqual([
      1, 2, 3, 4,
    ]);
  });

  test('a file that is not a zip gets a message naming it', async () => {
    await expect(filesFromZip(new File(['hello'], 'notes.zip'))).rejects.toThrow(/notes\.zip.*not a readable zip/);
  });

  test('isZip goes by name or type', () => {
    expect(isZip(new File([], 'a.ZIP'))).toBe(true);
    expect(isZip(new File([], 'a', { type: 'application/zip' }))).toBe(true);
    expect(isZip(new File([], 'a.png', { type: 'image/png' }))).toBe(false);
  });
});

describe('filesRunSource on the CLI layout', () => {
  test("finds the weights the manifest names './weights.bin' (zipped run, prefix kept)", async () => {
    const source = filesRunSource(await filesFromZip(runZip('runs/20250101-120000/')));
    const model = await source.modelSource('models/net1');
    expect(model.kind).toBe('files');
    expect((model as { files: File[] }).files.map((f) => f.name)).toEqual(['model.json', 'weights.bin']);
    expect(await source.bytes('metrics.json')).toEqual(enc.encode('{"nets":{}}'));
  });

  test('a folder picked without its weights says which file is missing', async () => {
    const files = [relativeFile('run/metrics.json', '{}'), relativeFile('run/models/net1/model.json', MODEL_JSON)];
    await expect(filesRunSource(files).modelSource('models/net1')).rejects.toThrow(
      /missing models\/net1\/\.\/weights\.bin/,
    );
  });
});
