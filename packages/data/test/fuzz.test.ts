/**
 * Property-based tests (fast-check) of the readers that take untrusted bytes: random and mutated input never crashes
 * the process, never hangs, and always ends in a result or an Error that names the file.
 */
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { decodeImageBytes, decodeImageFile, decodeNpy, encodeNpy } from '../src';
import { removeTmpDirs, tmpDir } from './fixtures';

afterAll(removeTmpDirs);

const NAME = '/data/inputs/fuzz.npy';

/** decodeNpy returns a consistent array or throws an Error naming the file. */
function npyReadsOrNamesTheFile(bytes: Uint8Array): void {
  try {
    const { data, shape } = decodeNpy(bytes, NAME);
    expect(data.length).toBe(shape.reduce((a, b) => a * b, 1));
  } catch (err) {
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message.startsWith(NAME)).toBe(true);
  }
}

describe('decodeNpy under fuzzing', () => {
  const valid = encodeNpy(
    Float32Array.from({ length: 24 }, (_, i) => i / 24),
    [2, 3, 4],
  );

  it('round-trips what encodeNpy writes (the property below starts from a valid file)', () => {
    const { data, shape } = decodeNpy(valid, NAME);
    expect(shape).toEqual([2, 3, 4]);
    expect(data[23]).toBe(Math.fround(23 / 24));
  });

  it('reads a Node Buffer inside a larger pool (as fs.readFileSync returns) as its own bytes only', () => {
    const pool = Buffer.alloc(valid.length + 64, 7);
    pool.set(valid, 32);
    const { data } = decodeNpy(pool.subarray(32, 32 + valid.length), NAME);
    expect(data).toHaveLength(24);
    expect(data[0]).toBe(0);
    expect(data[23]).toBe(Math.fround(23 / 24));
  });

  it('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), npyReadsOrNamesTheFile), { numRuns: 500 });
  });

  it('random bytes after the NPY magic and version', () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 2, 3), fc.uint8Array({ maxLength: 512 }), (major, tail) => {
        const bytes = new Uint8Array(8 + tail.length);
        bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
        bytes.set(tail, 8);
        npyReadsOrNamesTheFile(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('a valid file with bytes overwritten, cut or appended', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.option(fc.nat(), { nil: undefined }),
        fc.uint8Array({ maxLength: 16 }),
        (edits, cut, extra) => {
          let bytes = valid.slice();
          for (const [at, value] of edits) bytes[at % bytes.length] = value;
          if (cut !== undefined) bytes = bytes.subarray(0, cut % bytes.length);
          const out = new Uint8Array(bytes.length + extra.length);
          out.set(bytes);
          out.set(extra, bytes.length);
          npyReadsOrNamesTheFile(out);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a header claiming a huge shape fails on the size, without allocating it', () => {
    const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000, 100000), }";
    const bytes = new Uint8Array(10 + header.length);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
    for (let i = 0; i < header.length; i++) bytes[10 + i] = header.charCodeAt(i);
    expect(() => decodeNpy(bytes, NAME)).toThrow(`${NAME} is truncated`);
  });
});

describe('image decoding under fuzzing', () => {
  let png: Uint8Array;
  let jpeg: Uint8Array;
  beforeAll(async () => {
    const raw = Buffer.alloc(16 * 16 * 3, 0);
    for (let i = 0; i < raw.length; i++) raw[i] = (i * 37) % 256;
    const img = sharp(raw, { raw: { width: 16, height: 16, channels: 3 } });
    png = new Uint8Array(await img.clone().png().toBuffer());
    jpeg = new Uint8Array(await img.clone().jpeg().toBuffer());
  });

  const IMAGE = '/photos/fuzz.jpg';
  async function decodesOrNamesTheFile(bytes: Uint8Array): Promise<void> {
    try {
      const image = await decodeImageBytes(bytes, IMAGE);
      expect(image.data.length).toBe(image.width * image.height * 3);
    } catch (err) {
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toContain(IMAGE);
    }
  }

  it('random bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 1024 }), decodesOrNamesTheFile), { numRuns: 100 });
  });

  it.each([
    ['PNG', () => png],
    ['JPEG', () => jpeg],
  ])('a valid %s with bytes overwritten or cut', async (_kind, original) => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.option(fc.nat(), { nil: undefined }),
        async (edits, cut) => {
          let bytes = original().slice();
          for (const [at, value] of edits) bytes[at % bytes.length] = value;
          if (cut !== undefined) bytes = bytes.subarray(0, cut % bytes.length);
          await decodesOrNamesTheFile(bytes);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('the file entry names the file for unreadable and undecodable files', async () => {
    const dir = tmpDir();
    const text = path.join(dir, 'notes.jpg');
    fs.writeFileSync(text, 'not an image');
    await expect(decodeImageFile(text)).rejects.toThrow(`cannot decode ${text} as an image`);
    await expect(decodeImageFile(path.join(dir, 'missing.png'))).rejects.toThrow(path.join(dir, 'missing.png'));
  });
});
