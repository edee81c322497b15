/**
 * A model folder is untrusted (downloaded, copied, edited): loading must stay inside it, check every byte
 * count before reading, survive hostile model.json files, and name the file and field of any problem.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildNet1, selectBackend, type ModelMetadata } from '../src';
import { loadModel, saveModel } from '../src/node';

let dir: string;
let good: string;
let weightBytes: number;
beforeAll(async () => {
  await selectBackend({ backend: 'wasm', threads: 1 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrpjs-untrusted-'));
  good = path.join(dir, 'good');
  const model = buildNet1({ numClasses: 3, inputSize: 16, seed: 1 });
  await saveModel(model, good, meta());
  model.dispose();
  weightBytes = fs.statSync(path.join(good, 'weights.bin')).size;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const meta = (): ModelMetadata => ({
  architecture: 'net1',
  classNames: ['a', 'b', 'c'],
  inputShape: [16, 16, 3],
  normalization: { scale: 3, offset: -1.5 },
});

/** A copy of the good model with model.json edited by `edit` and weights.bin replaced by `weights`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests edit arbitrary fields of model.json
function variant(name: string, edit: (json: any) => void = () => undefined, weights?: Buffer): string {
  const target = path.join(dir, name);
  fs.mkdirSync(target);
  const json = JSON.parse(fs.readFileSync(path.join(good, 'model.json'), 'utf8'));
  edit(json);
  fs.writeFileSync(path.join(target, 'model.json'), JSON.stringify(json));
  fs.writeFileSync(path.join(target, 'weights.bin'), weights ?? fs.readFileSync(path.join(good, 'weights.bin')));
  return target;
}

describe('weight paths stay inside the model folder', () => {
  test('".." is refused', async () => {
    fs.writeFileSync(path.join(dir, 'outside.bin'), Buffer.alloc(weightBytes));
    const m = variant('dotdot', (j) => (j.weightsManifest[0].paths = ['../outside.bin']));
    await expect(loadModel(m)).rejects.toThrow(/weight path "\.\.\/outside\.bin" leaves the model folder/);
  });

  test('an absolute path is refused', async () => {
    const m = variant('absolute', (j) => (j.weightsManifest[0].paths = [path.join(dir, 'outside.bin')]));
    await expect(loadModel(m)).rejects.toThrow(/leaves the model folder/);
  });

  test('a symlink out of the folder is refused', async () => {
    const m = variant('symlink', (j) => (j.weightsManifest[0].paths = ['./link.bin']));
    fs.symlinkSync(path.join(dir, 'outside.bin'), path.join(m, 'link.bin'));
    await expect(loadModel(m)).rejects.toThrow(/link\.bin is a link to .*outside\.bin, outside the model folder/);
  });
});

describe('weight bytes are checked before use', () => {
  test('a truncated weights.bin names the file and both byte counts', async () => {
    const w = fs.readFileSync(path.join(good, 'weights.bin')).subarray(0, 1000);
    const m = variant('truncated', undefined, Buffer.from(w));
    await expect(loadModel(m)).rejects.toThrow(
      new RegExp(`weights\\.bin holds 1000 bytes but .*model\\.json needs exactly ${weightBytes} \\(truncated\\)`),
    );
  });

  test('junk appended to weights.bin is refused', async () => {
    const w = Buffer.concat([fs.readFileSync(path.join(good, 'weights.bin')), Buffer.alloc(4096, 7)]);
    const m = variant('junk', undefined, w);
    await expect(loadModel(m)).rejects.toThrow(
      new RegExp(`holds ${weightBytes + 4096} bytes but .* needs exactly ${weightBytes} \\(extra bytes appended\\)`),
    );
  });

  test('same-length damage is caught by the SHA-256 saveModel recorded', async () => {
    const w = Buffer.from(fs.readFileSync(path.join(good, 'weights.bin')));
    w[100] ^= 0xff;
    const m = variant('damaged', undefined, w);
    await expect(loadModel(m)).rejects.toThrow(
      /weights\.bin is damaged: its SHA-256 is .* recorded .* when it was saved/,
    );
  });

  test('absurd shapes are refused before anything is allocated', async () => {
    const m = variant('absurd', (j) => (j.weightsManifest[0].weights[0].shape = [1e9, 1e9, 1e9]));
    await expect(loadModel(m)).rejects.toThrow(/declares weights no file can hold/);
  });
});

describe('hostile model.json', () => {
  test('deep nesting is refused without a stack overflow', async () => {
    const m = variant('deep');
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    const text = fs
      .readFileSync(path.join(m, 'model.json'), 'utf8')
      .replace('"modelTopology":', `"x":${deep},"modelTopology":`);
    fs.writeFileSync(path.join(m, 'model.json'), text);
    await expect(loadModel(m)).rejects.toThrow(/nests deeper than 100 levels/);
  });

  test('a huge model.json is refused unread', async () => {
    const m = variant('huge');
    fs.truncateSync(path.join(m, 'model.json'), 33 * 1024 * 1024);
    await expect(loadModel(m)).rejects.toThrow(/model\.json is 34603008 bytes; a model\.json holds at most/);
  });

  test('a manifest of the wrong shape names the field', async () => {
    const m = variant('manifest', (j) => (j.weightsManifest[0].weights[0].shape = ['x']));
    await expect(loadModel(m)).rejects.toThrow(
      /model\.json: weightsManifest\.0\.weights\.0\.shape\.0: expected number, got "x"/,
    );
  });
});

test('saving under /proc fails at once instead of spinning', async () => {
  if (!fs.existsSync('/proc/self')) return;
  const model = buildNet1({ numClasses: 3, inputSize: 16, seed: 1 });
  await expect(saveModel(model, '/proc/lrpjs-x/net1', meta())).rejects.toThrow(
    /Cannot create \/proc\/lrpjs-x\/net1 .*ENOENT/,
  );
  model.dispose();
});

describe('metadata is validated', () => {
  test('class count different from the output units', async () => {
    const m = variant('classes', (j) => j.userDefinedMetadata.lrpjs.classNames.pop());
    await expect(loadModel(m)).rejects.toThrow(
      /classes\/model\.json: userDefinedMetadata\.lrpjs\.classNames: expected 3 class names \(the model has 3 output units\), got 2/,
    );
  });

  test('non-numeric normalization', async () => {
    const m = variant('norm', (j) => (j.userDefinedMetadata.lrpjs.normalization.scale = 'three'));
    await expect(loadModel(m)).rejects.toThrow(
      /userDefinedMetadata\.lrpjs\.normalization\.scale: expected number, got "three"/,
    );
  });

  test('unknown metadata version', async () => {
    const m = variant('version', (j) => (j.userDefinedMetadata.lrpjs.version = 5));
    await expect(loadModel(m)).rejects.toThrow(/userDefinedMetadata\.lrpjs\.version: expected 1, got 5/);
  });

  test('the weight file given instead of the folder', async () => {
    await expect(loadModel(path.join(good, 'weights.bin'))).rejects.toThrow(
      /looks like a weight file\); pass the model folder/,
    );
  });
});
