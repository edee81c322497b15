import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { debuglog } from 'node:util';
import { existingAncestor, isWritableDir, mkdirSteps, writeFileAtomic } from './paths';

const debug = debuglog('lrpjs');

/** Bump when the cached bytes would change for the same key inputs. */
const CACHE_FORMAT = 2;
const MAGIC = Buffer.from('LRPJSLFW');

/** What the cache stores: the resized RGB bytes in final (shuffled) order. */
export interface CacheHeader {
  format: number;
  key: string;
  n: number;
  height: number;
  width: number;
  channels: number;
  /** SHA-256 of the pixel bytes: damage that keeps the length (a flipped or zeroed block) must not pass as a hit. */
  sha256: string;
}

/** A cache lookup: the pixels, or nothing, with the files that were there but damaged (to report and rebuild). */
export interface CacheLookup {
  hit?: { file: string; rgb: Uint8Array };
  damaged: { file: string; reason: string }[];
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Cache key. Colour is left out on purpose: the cache holds the resized RGB bytes, from which both the
 * colour and the grey arrays follow exactly (scikit-learn averages the channels after resizing).
 */
export function cacheKey(parts: Record<string, unknown>): string {
  return createHash('sha256')
    .update(JSON.stringify({ format: CACHE_FORMAT, ...parts }))
    .digest('hex')
    .slice(0, 32);
}

/**
 * Cache folders to try, preferred first: inside the data home, unless it is read-only, in which case a
 * folder under os.tmpdir() named after the data home stands in.
 */
export async function cacheDirs(lfwHome: string, override?: string): Promise<{ read: string[]; write?: string }> {
  if (override) return { read: [override], write: override };
  const own = path.join(lfwHome, '.lrpjs-cache');
  const tmp = path.join(
    os.tmpdir(),
    'lrpjs-cache',
    createHash('sha256').update(path.resolve(lfwHome)).digest('hex').slice(0, 16),
  );
  const ownWritable = (await isWritableDir(own)) || (await isWritableDir(await existingAncestor(own)));
  return { read: [own, tmp], write: ownWritable ? own : tmp };
}

export async function readCache(
  dirs: string[],
  key: string,
  expect: Omit<CacheHeader, 'format' | 'key' | 'sha256'>,
): Promise<CacheLookup> {
  const damaged: CacheLookup['damaged'] = [];
  for (const dir of dirs) {
    const file = path.join(dir, `${key}.bin`);
    let buf: Buffer;
    try {
      buf = await fs.promises.readFile(file);
    } catch {
      continue;
    }
    try {
      if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('bad magic');
      const headerLen = buf.readUInt32LE(MAGIC.length);
      const start = MAGIC.length + 4;
      const header = JSON.parse(buf.subarray(start, start + headerLen).toString('utf8')) as CacheHeader;
      // An older format is not damage: it is rebuilt silently.
      if (header.format !== CACHE_FORMAT) {
        debug('ignoring cache file %s of format %s', file, header.format);
        continue;
      }
      const dataStart = start + headerLen;
      const size = expect.n * expect.height * expect.width * expect.channels;
      const ok =
        header.format === CACHE_FORMAT &&
        header.key === key &&
        header.n === expect.n &&
        header.height === expect.height &&
        header.width === expect.width &&
        header.channels === expect.channels &&
        buf.length - dataStart === size;
      if (!ok) throw new Error('header does not match');
      const rgb = new Uint8Array(buf.buffer, buf.byteOffset + dataStart, size);
      if (sha256(rgb) !== header.sha256) throw new Error('checksum mismatch: the pixel bytes changed since written');
      return { hit: { file, rgb }, damaged };
    } catch (err) {
      debug('ignoring unusable cache file %s: %s', file, (err as Error).message);
      damaged.push({ file, reason: (err as Error).message });
    }
  }
  return { damaged };
}

/** Writes the cache file atomically; failures only cost speed next time, so they are logged, not thrown. */
export async function writeCache(
  dir: string,
  key: string,
  header: Omit<CacheHeader, 'format' | 'key' | 'sha256'>,
  rgb: Uint8Array,
): Promise<string | undefined> {
  const file = path.join(dir, `${key}.bin`);
  try {
    await mkdirSteps(dir);
    const json = Buffer.from(
      JSON.stringify({ format: CACHE_FORMAT, key, ...header, sha256: sha256(rgb) } satisfies CacheHeader),
      'utf8',
    );
    const len = Buffer.alloc(4);
    len.writeUInt32LE(json.length);
    await writeFileAtomic(file, [MAGIC, len, json, rgb]);
    debug('wrote LFW cache %s', file);
    return file;
  } catch (err) {
    debug('not caching LFW pixels in %s: %s', dir, (err as Error).message);
    return undefined;
  }
}
