/**
 * The HDF5 reader's entry is fed untrusted files (`--vgg16-weights PATH`): anything that is not HDF5, an HDF5 file
 * that is not Keras weights, and random or mutated bytes must end in an Error that names the file — never a crash,
 * never a hang, never pages of HDF5-DIAG noise.
 */
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { getH5Runtime, readKerasH5Weights, writeKerasH5Weights } from '../../src/transfer/hdf5';
import { loadVgg16Weights } from '../../src/transfer/vgg16-file';

let tmp: string;
let keras: Uint8Array;
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lrpjs-h5-untrusted-'));
  const file = path.join(tmp, 'small.h5');
  await writeKerasH5Weights(file, [
    {
      name: 'block1_conv1',
      weights: [
        { name: 'k', shape: [3, 3, 3, 4], values: new Float32Array(108).fill(0.5) },
        { name: 'b', shape: [4], values: new Float32Array(4) },
      ],
    },
  ]);
  keras = new Uint8Array(fs.readFileSync(file));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Everything written to stderr while `run` goes (the HDF5 library prints its diagnostics there). */
async function stderrOf(run: () => Promise<unknown>): Promise<string> {
  const chunks: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  const error = console.error;
  process.stderr.write = ((c: string | Uint8Array) => (chunks.push(String(c)), true)) as typeof process.stderr.write;
  console.error = (...args: unknown[]) => void chunks.push(args.join(' '));
  try {
    await run().catch(() => undefined);
  } finally {
    process.stderr.write = write;
    console.error = error;
  }
  return chunks.join('');
}

describe('--vgg16-weights given the wrong file', () => {
  it('a non-HDF5 file: "not an HDF5 file", naming it, with no HDF5-DIAG noise', async () => {
    const file = path.join(tmp, 'weights.h5');
    fs.writeFileSync(file, 'this is a README, not weights\n'.repeat(100));
    await expect(loadVgg16Weights(file)).rejects.toThrow(`${file} is not an HDF5 file`);
    expect(await stderrOf(() => loadVgg16Weights(file))).not.toMatch(/HDF5-DIAG/);
  });

  it('an HDF5 file that is not Keras weights: "not VGG-16 notop weights (missing layer block1_conv1)"', async () => {
    const { api, fs: memfs, hostFs } = await getH5Runtime();
    const file = path.join(tmp, 'plain.h5');
    const name = hostFs ? file : '/lrpjs-plain.h5';
    const h5 = new api.File(name, 'w');
    h5.create_dataset({ name: 'data', data: new Float32Array([1, 2, 3]), shape: [3], dtype: '<f' });
    h5.close();
    if (!hostFs) {
      fs.writeFileSync(file, memfs.readFile(name));
      memfs.unlink(name);
    }
    await expect(loadVgg16Weights(file)).rejects.toThrow(
      `${file} is not VGG-16 notop weights (missing layer block1_conv1`,
    );
  });
});

describe('fuzzing the HDF5 reader entry (fast-check)', () => {
  const NAME = 'fuzz-weights.h5';
  /** The property: the reader returns a layer map or throws an Error that names the file. */
  const readsOrNamesTheFile = async (bytes: Uint8Array) => {
    try {
      const layers = await readKerasH5Weights(bytes, NAME);
      expect(layers).toBeInstanceOf(Map);
    } catch (err) {
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toContain(NAME);
    }
  };

  it('random bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), readsOrNamesTheFile), { numRuns: 100 });
  });

  it('the HDF5 signature followed by random bytes', async () => {
    const signature = new Uint8Array([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 2048 }), (tail) => {
        const bytes = new Uint8Array(signature.length + tail.length);
        bytes.set(signature);
        bytes.set(tail, signature.length);
        return readsOrNamesTheFile(bytes);
      }),
      { numRuns: 30 },
    );
  });

  it('a real Keras weights file with bytes overwritten or cut', async () => {
    const mutation = fc.record({
      edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 16 }),
      cut: fc.option(fc.nat(), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async ({ edits, cut }) => {
        let bytes = keras.slice();
        for (const [at, value] of edits) bytes[at % bytes.length] = value;
        if (cut !== undefined) bytes = bytes.subarray(0, cut % bytes.length);
        await readsOrNamesTheFile(bytes);
      }),
      { numRuns: 40 },
    );
  });
});
