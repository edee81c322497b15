import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Progress of a long step; `total` is 0 when unknown (no Content-Length). */
export interface TransferProgress {
  stage: string;
  done: number;
  total: number;
}

/** Thrown when pretrained weights are neither on disk nor downloadable; the CLI reports its message in one line. */
export class WeightsUnavailableError extends Error {
  readonly code = 'LRPJS_WEIGHTS_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WeightsUnavailableError';
  }
}

/** The data home: `dataHome` if given, else env `LRPJS_DATA_HOME`, else `~/.lrpjs` (as @lrpjs/data). */
export function resolveDataHome(dataHome?: string): string {
  return path.resolve(dataHome ?? process.env.LRPJS_DATA_HOME ?? path.join(os.homedir(), '.lrpjs'));
}

/** Expected digest of a file: `md5` (32 hex digits, as Keras' `file_hash`) or `sha256`. */
export interface FileHash {
  algorithm: 'md5' | 'sha256';
  hex: string;
}

/** Hashes a file by streaming it (no full copy in memory). */
export async function hashFile(filePath: string, algorithm: FileHash['algorithm']): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of fs.createReadStream(filePath)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface DownloadOptions {
  url: string;
  /** Final path; the body is written to `<dest>.part` and renamed only once complete and verified. */
  dest: string;
  /** If given, a mismatch deletes the partial file and throws. */
  hash?: FileHash;
  onProgress?: (p: TransferProgress) => void;
  /** Stage name reported to `onProgress`. Default `'download'`. */
  stage?: string;
  /** Injected fetch (tests, proxies). Default: the global fetch of Node ≥ 18. */
  fetch?: typeof fetch;
}

/**
 * Downloads `url` to `dest` atomically: streamed into `<dest>.part` while hashing, verified, then
 * renamed, so an interrupted or corrupted download never leaves a file at `dest`.
 */
export async function downloadFile(options: DownloadOptions): Promise<string> {
  const { url, dest, hash, onProgress, stage = 'download' } = options;
  const doFetch = options.fetch ?? fetch;
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const part = `${dest}.part`;
  const response = await doFetch(url);
  if (!response.ok || !response.body) {
    throw new Error(`Download of ${url} failed: HTTP ${response.status} ${response.statusText}`);
  }
  const total = Number(response.headers.get('content-length') ?? 0) || 0;
  const digest = hash ? createHash(hash.algorithm) : undefined;
  const out = fs.openSync(part, 'w');
  let done = 0;
  try {
    const reader = response.body.getReader();
    onProgress?.({ stage, done, total });
    for (;;) {
      const { done: finished, value } = await reader.read();
      if (finished) break;
      fs.writeSync(out, value);
      digest?.update(value);
      done += value.byteLength;
      onProgress?.({ stage, done, total });
    }
  } catch (err) {
    fs.closeSync(out);
    fs.rmSync(part, { force: true });
    throw new Error(`Download of ${url} was interrupted after ${done} bytes: ${(err as Error).message}`, {
      cause: err,
    });
  }
  fs.closeSync(out);
  if (total && done !== total) {
    fs.rmSync(part, { force: true });
    throw new Error(`Download of ${url} is incomplete: ${done} of ${total} bytes; try again`);
  }
  if (hash && digest) {
    const actual = digest.digest('hex');
    if (actual !== hash.hex.toLowerCase()) {
      fs.rmSync(part, { force: true });
      throw new Error(
        `Checksum mismatch for ${url}: expected ${hash.algorithm} ${hash.hex}, got ${actual}. The file was discarded; the server sent something else (proxy page, truncated or changed file).`,
      );
    }
  }
  fs.renameSync(part, dest);
  return dest;
}
