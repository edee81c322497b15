import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { debuglog } from 'node:util';
import * as tar from 'tar';
import { LFW_FOLDERS, expectedLayout, mkdirSteps, resolveLfwPaths, type LfwPaths } from './paths';
import type { LfwOptions, LfwProgress, LfwVariant } from './types';

const debug = debuglog('lrpjs');

/** Abort a download after this long without receiving data. */
const IDLE_TIMEOUT_MS = 60_000;

/** A file scikit-learn downloads, with the checksum it verifies. */
export interface RemoteFile {
  filename: string;
  url?: string;
  sha256?: string;
}

/** scikit-learn 1.2 `sklearn/datasets/_lfw.py`: the archives per variant (deepfunneled has no published source). */
export const LFW_ARCHIVES: Record<LfwVariant, RemoteFile> = {
  funneled: {
    filename: 'lfw-funneled.tgz',
    url: 'https://ndownloader.figshare.com/files/5976015',
    sha256: 'b47c8422c8cded889dc5a13418c4bc2abbda121092b3533a83306f90d900100a',
  },
  original: {
    filename: 'lfw.tgz',
    url: 'https://ndownloader.figshare.com/files/5976018',
    sha256: '055f7d9c632d7370e6fb4afc7468d40f970c34a80d4c6f50ffec63f5a8d536c0',
  },
  deepfunneled: { filename: 'lfw-deepfunneled.tgz' },
};

/** scikit-learn 1.2's LFW metadata files, fetched next to the archive (`lfw_home/`). */
export const LFW_METADATA: readonly RemoteFile[] = [
  {
    filename: 'pairsDevTrain.txt',
    url: 'https://ndownloader.figshare.com/files/5976012',
    sha256: '1d454dada7dfeca0e7eab6f65dc4e97a6312d44cf142207be28d688be92aabfa',
  },
  {
    filename: 'pairsDevTest.txt',
    url: 'https://ndownloader.figshare.com/files/5976009',
    sha256: '7cb06600ea8b2814ac26e946201cdb304296262aad67d046a16a7ec85d0ff87c',
  },
  {
    filename: 'pairs.txt',
    url: 'https://ndownloader.figshare.com/files/5976006',
    sha256: 'ea42330c62c92989f9d7c03237ed5d591365e89b3e649747777b70e692dc1592',
  },
];

type EnsureOptions = Pick<
  LfwOptions,
  'dataHome' | 'variant' | 'downloadIfMissing' | 'baseUrl' | 'checksums' | 'onProgress'
>;

/** Where a user may put the variant's archive so it is used without network access. */
function localArchive(paths: LfwPaths, variant: LfwVariant): string {
  return path.join(paths.lfwHome, LFW_ARCHIVES[variant].filename);
}

/** Other variants whose image folder or archive is already in `lfw_home/` (a likely mistyped `--variant`). */
function otherVariantsPresent(paths: LfwPaths, variant: LfwVariant): string[] {
  const found: string[] = [];
  for (const v of Object.keys(LFW_FOLDERS) as LfwVariant[]) {
    if (v === variant) continue;
    const other = resolveLfwPaths({ dataHome: paths.dataHome, variant: v });
    if (fs.existsSync(other.folder)) found.push(`${LFW_FOLDERS[v]}/ (--variant ${v}?)`);
    else if (fs.existsSync(localArchive(other, v))) found.push(`${LFW_ARCHIVES[v].filename} (--variant ${v}?)`);
  }
  return found;
}

function missingMessage(paths: LfwPaths, variant: LfwVariant, why: string): string {
  const others = otherVariantsPresent(paths, variant);
  return (
    `LFW (${variant}) is not in ${paths.lfwHome} and ${why}. ` +
    (others.length ? `That folder holds another variant: ${others.join(', ')}. ` : '') +
    `To use ${variant} offline, either put the images at ${expectedLayout(paths)}, ` +
    `or put the archive ${LFW_ARCHIVES[variant].filename} at ${localArchive(paths, variant)} (it is extracted there; ` +
    `no pairs*.txt needed); or point dataHome / --data-home / LRPJS_DATA_HOME at a folder that holds ` +
    `lfw_home/${LFW_FOLDERS[variant]}.`
  );
}

/**
 * Makes sure the variant's image folder exists, downloading and extracting scikit-learn's archive (and its
 * metadata files) when it does not. Returns the image folder. An existing folder is used as is, without
 * network access (unlike scikit-learn, missing pairs*.txt files are not fetched then: people loading
 * does not read them).
 */
export async function ensureLfw(options: EnsureOptions = {}): Promise<string> {
  const variant = options.variant ?? 'funneled';
  const paths = resolveLfwPaths(options);
  const st = await fs.promises.stat(paths.folder).catch(() => null);
  if (st?.isDirectory()) return paths.folder;
  if (st) throw new Error(`${paths.folder} exists but is not a folder; remove it or point dataHome elsewhere.`);
  // An archive the user put there is used as is, offline, for any variant; it stays where they put it.
  const local = localArchive(paths, variant);
  if (fs.existsSync(local)) {
    await extractInto(local, paths.folder, options.onProgress);
    return paths.folder;
  }
  if (options.downloadIfMissing === false)
    throw new Error(missingMessage(paths, variant, 'downloadIfMissing is false'));

  const baseUrl = options.baseUrl ?? process.env.LRPJS_LFW_BASE_URL;
  const resolve = (f: RemoteFile): Required<RemoteFile> | string => {
    const url = baseUrl ? `${baseUrl.replace(/\/+$/, '')}/${f.filename}` : f.url;
    const sha256 = options.checksums?.[f.filename] ?? f.sha256;
    if (!url) return `there is no known download URL for ${f.filename} (set baseUrl / LRPJS_LFW_BASE_URL to a mirror)`;
    if (!sha256)
      return `there is no published SHA-256 for ${f.filename} (pass checksums: { '${f.filename}': '<sha256>' })`;
    return { filename: f.filename, url, sha256 };
  };
  const archive = resolve(LFW_ARCHIVES[variant]);
  if (typeof archive === 'string') throw new Error(missingMessage(paths, variant, archive));

  try {
    await mkdirSteps(paths.lfwHome);
  } catch (err) {
    throw new Error(missingMessage(paths, variant, `the folder cannot be created (${(err as Error).message})`));
  }

  for (const meta of LFW_METADATA) {
    const target = path.join(paths.lfwHome, meta.filename);
    if (fs.existsSync(target)) continue;
    const remote = resolve(meta);
    if (typeof remote === 'string') throw new Error(missingMessage(paths, variant, remote));
    await downloadVerified(remote, target, { ...options, paths, variant });
  }

  const archivePath = path.join(paths.lfwHome, archive.filename);
  await downloadVerified(archive, archivePath, { ...options, paths, variant });
  await extractInto(archivePath, paths.folder, options.onProgress);
  // scikit-learn deletes the archive once extracted; 200 MB is worth reclaiming.
  await fs.promises.rm(archivePath, { force: true });
  return paths.folder;
}

/**
 * Streams `remote.url` to `<target>.part` while hashing, and renames it to `target` only when the SHA-256
 * matches, so an interrupted or tampered download never looks complete.
 */
export async function downloadVerified(
  remote: Required<RemoteFile>,
  target: string,
  ctx: { onProgress?: (p: LfwProgress) => void; paths?: LfwPaths; variant?: LfwVariant } = {},
): Promise<void> {
  const part = `${target}.part`;
  const offline = (why: string): Error =>
    new Error(
      ctx.paths && ctx.variant
        ? missingMessage(ctx.paths, ctx.variant, `downloading ${remote.url} failed: ${why}`)
        : `Downloading ${remote.url} failed: ${why}.`,
    );
  debug('downloading %s -> %s', remote.url, target);
  // An idle timeout rather than a total one: the 230 MB archive may legitimately take long on a slow link.
  const abort = new AbortController();
  let idle: NodeJS.Timeout | undefined;
  const touch = (): void => {
    clearTimeout(idle);
    idle = setTimeout(() => abort.abort(new Error(`no data for ${IDLE_TIMEOUT_MS / 1000} s`)), IDLE_TIMEOUT_MS);
  };
  touch();
  let res: Response;
  try {
    res = await fetch(remote.url, { redirect: 'follow', signal: abort.signal });
  } catch (err) {
    clearTimeout(idle);
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw offline(cause?.code ?? cause?.message ?? (err as Error).message);
  }
  if (!res.ok || !res.body) {
    clearTimeout(idle);
    throw offline(`HTTP ${res.status} ${res.statusText}`);
  }
  const total = Number(res.headers.get('content-length')) || 0;
  const hash = createHash('sha256');
  let done = 0;
  const fh = await fs.promises.open(part, 'w');
  try {
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        touch();
        hash.update(chunk);
        await fh.writeFile(chunk);
        done += chunk.length;
        ctx.onProgress?.({ stage: 'download', done, total, detail: remote.filename });
      }
    } finally {
      clearTimeout(idle);
      await fh.close();
    }
    const digest = hash.digest('hex');
    if (digest !== remote.sha256.toLowerCase()) {
      throw new Error(
        `Checksum mismatch for ${remote.filename} from ${remote.url}: got SHA-256 ${digest}, expected ${remote.sha256}. ` +
          `The download was discarded; retry, or use another mirror (baseUrl / LRPJS_LFW_BASE_URL).`,
      );
    }
    await fs.promises.rename(part, target);
  } catch (err) {
    await fs.promises.rm(part, { force: true });
    if ((err as Error).message.startsWith('Checksum mismatch')) throw err;
    throw offline((err as Error).message);
  }
}

/**
 * Extracts a .tgz into a temporary folder next to `folder`, then moves the image folder into place in one
 * rename, so a half-extracted tree is never mistaken for the dataset.
 */
async function extractInto(archivePath: string, folder: string, onProgress?: (p: LfwProgress) => void): Promise<void> {
  const parent = path.dirname(folder);
  const tmp = await fs.promises.mkdtemp(path.join(parent, '.extract-'));
  try {
    let entries = 0;
    let refused: string | undefined;
    await tar.x({
      file: archivePath,
      cwd: tmp,
      strict: true,
      // Entries are untrusted: anything but a plain file or folder inside the archive's own tree is skipped here
      // (so it never touches the disk) and then fails the whole extraction.
      filter: (_p, entry) => {
        const why = unsafeEntry(entry as tar.ReadEntry);
        if (why && !refused) refused = why;
        return !why;
      },
      onReadEntry: () => {
        entries++;
        if (entries % 500 === 0)
          onProgress?.({ stage: 'extract', done: entries, total: 0, detail: path.basename(archivePath) });
      },
    });
    if (refused) {
      throw new Error(
        `refusing it: ${refused}; only plain files and folders are extracted. Use the original LFW archive`,
      );
    }
    onProgress?.({ stage: 'extract', done: entries, total: entries, detail: path.basename(archivePath) });
    // The archive's top folder is usually the expected name (lfw_funneled/, lfw/); accept any single folder.
    const top = (await fs.promises.readdir(tmp, { withFileTypes: true })).filter((d) => d.isDirectory());
    const src = top.find((d) => d.name === path.basename(folder)) ?? (top.length === 1 ? top[0] : undefined);
    if (!src) {
      throw new Error(
        `${archivePath} does not contain a single top-level image folder (found ${top.map((d) => d.name).join(', ') || 'none'}); expected ${path.basename(folder)}/.`,
      );
    }
    await fs.promises.rename(path.join(tmp, src.name), folder);
  } catch (err) {
    throw new Error(`Extracting ${archivePath} failed: ${(err as Error).message}`);
  } finally {
    await fs.promises.rm(tmp, { recursive: true, force: true });
  }
}

const SAFE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory']);
const TYPE_NAMES: Record<string, string> = {
  SymbolicLink: 'a symbolic link',
  Link: 'a hard link',
  CharacterDevice: 'a character device',
  BlockDevice: 'a block device',
  FIFO: 'a named pipe',
};

/** Why an archive entry must not be extracted, or undefined when it is a plain file or folder that stays inside. */
function unsafeEntry(entry: { path: string; type: string }): string | undefined {
  const name = entry.path;
  if (!SAFE_TYPES.has(entry.type)) return `entry '${name}' is ${TYPE_NAMES[entry.type] ?? `of type ${entry.type}`}`;
  const parts = name.split(/[\\/]+/);
  if (path.isAbsolute(name) || /^[a-zA-Z]:/.test(name) || parts.includes('..')) {
    return `entry '${name}' points outside the data home`;
  }
  return undefined;
}
