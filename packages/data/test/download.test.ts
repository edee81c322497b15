import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as tar from 'tar';
import { LFW_ARCHIVES, LFW_METADATA, loadLfwPeople, type LfwProgress } from '../src';
import { listFilesRecursive, makeFixtureTree, removeTmpDirs, tmpDir } from './fixtures';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Files the mirror serves, by name; `requests` records what was asked for. */
let files: Map<string, Buffer>;
let requests: string[];
let server: http.Server;
let baseUrl: string;
let archive: Buffer;
let checksums: Record<string, string>;

beforeAll(async () => {
  // A small lfw-funneled.tgz (top folder lfw_funneled/, like the real one) and the three pairs files.
  const src = tmpDir();
  await makeFixtureTree(src);
  const tgz = path.join(src, 'lfw-funneled.tgz');
  await tar.c({ gzip: true, file: tgz, cwd: path.join(src, 'lfw_home') }, ['lfw_funneled']);
  archive = fs.readFileSync(tgz);
  files = new Map([['lfw-funneled.tgz', archive]]);
  for (const m of LFW_METADATA) files.set(m.filename, Buffer.from(`10\n${m.filename}\n`));
  files.set('lfw.tgz', Buffer.from('this is not a gzip file'));
  checksums = Object.fromEntries([...files].map(([name, body]) => [name, sha256(body)]));
  requests = [];
  server = http.createServer((req, res) => {
    const cut = (req.url ?? '').startsWith('/cut/');
    const name = decodeURIComponent((req.url ?? '').replace(/^\/(lfw|cut)\//, ''));
    requests.push(name);
    const body = files.get(name);
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' });
    if (cut && name.endsWith('.tgz')) {
      // The connection drops half-way through the archive.
      res.write(body.subarray(0, body.length >> 1), () => setTimeout(() => res.socket?.destroy(), 5));
      return;
    }
    // Two chunks, so progress sees an intermediate value.
    res.write(body.subarray(0, body.length >> 1));
    setTimeout(() => res.end(body.subarray(body.length >> 1)), 5);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/lfw`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  removeTmpDirs();
});

describe('download when missing (local mirror on 127.0.0.1)', () => {
  it("scikit-learn's sources are the figshare files with their published SHA-256", () => {
    expect(LFW_ARCHIVES.funneled).toEqual({
      filename: 'lfw-funneled.tgz',
      url: 'https://ndownloader.figshare.com/files/5976015',
      sha256: 'b47c8422c8cded889dc5a13418c4bc2abbda121092b3533a83306f90d900100a',
    });
    expect(LFW_METADATA.map((m) => m.filename)).toEqual(['pairsDevTrain.txt', 'pairsDevTest.txt', 'pairs.txt']);
  });

  it('downloads, verifies, extracts, then loads; the archive is removed and nothing partial remains', async () => {
    const dataHome = tmpDir();
    const progress: LfwProgress[] = [];
    requests = [];
    const ds = await loadLfwPeople({
      dataHome,
      baseUrl,
      checksums,
      minFacesPerPerson: 2,
      onProgress: (p) => progress.push(p),
    });
    expect(ds.shape).toEqual([12, 62, 47, 1]);
    expect(Array.from(ds.targets)).toEqual([3, 3, 1, 2, 2, 0, 1, 3, 0, 2, 0, 2]);
    expect(requests.sort()).toEqual(['lfw-funneled.tgz', 'pairs.txt', 'pairsDevTest.txt', 'pairsDevTrain.txt']);
    const lfwHome = path.join(dataHome, 'lfw_home');
    expect(fs.readdirSync(lfwHome).sort()).toEqual([
      '.lrpjs-cache',
      'lfw_funneled',
      'pairs.txt',
      'pairsDevTest.txt',
      'pairsDevTrain.txt',
    ]);
    expect(listFilesRecursive(lfwHome).filter((f) => /\.part$|\.tmp-|\.extract-/.test(f))).toEqual([]);
    const dl = progress.filter((p) => p.stage === 'download' && p.detail === 'lfw-funneled.tgz');
    // a small archive may arrive in one chunk: at least one report, and the last one is complete
    expect(dl.length).toBeGreaterThanOrEqual(1);
    expect(dl[dl.length - 1]).toMatchObject({ done: archive.length, total: archive.length });
    expect(progress.some((p) => p.stage === 'extract')).toBe(true);

    // Present now: no network on the next load.
    requests = [];
    await loadLfwPeople({ dataHome, baseUrl, checksums, minFacesPerPerson: 2 });
    expect(requests).toEqual([]);
  });

  it('the mirror can come from env LRPJS_LFW_BASE_URL', async () => {
    const dataHome = tmpDir();
    process.env.LRPJS_LFW_BASE_URL = baseUrl;
    try {
      const ds = await loadLfwPeople({ dataHome, checksums, cache: false });
      expect(ds.shape[0]).toBe(13);
    } finally {
      delete process.env.LRPJS_LFW_BASE_URL;
    }
  });

  it('a checksum mismatch fails and leaves nothing behind', async () => {
    const dataHome = tmpDir();
    const wrong = { ...checksums, 'lfw-funneled.tgz': '0'.repeat(64) };
    const err = (await loadLfwPeople({ dataHome, baseUrl, checksums: wrong }).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/Checksum mismatch for lfw-funneled\.tgz/);
    expect(err.message).toContain(sha256(archive));
    const left = fs.readdirSync(path.join(dataHome, 'lfw_home')).sort();
    // The (verified) metadata files may stay; no archive, no .part, no image folder.
    expect(left).toEqual(['pairs.txt', 'pairsDevTest.txt', 'pairsDevTrain.txt']);
  });

  it('an interrupted download leaves no archive and no .part', async () => {
    const dataHome = tmpDir();
    const err = (await loadLfwPeople({ dataHome, baseUrl: baseUrl.replace(/\/lfw$/, '/cut'), checksums }).catch(
      (e: Error) => e,
    )) as Error;
    expect(err.message).toMatch(/downloading http:\/\/127\.0\.0\.1:\d+\/cut\/lfw-funneled\.tgz failed/);
    expect(fs.readdirSync(path.join(dataHome, 'lfw_home')).sort()).toEqual([
      'pairs.txt',
      'pairsDevTest.txt',
      'pairsDevTrain.txt',
    ]);
  });

  it('an archive that does not extract fails cleanly (no half-extracted folder)', async () => {
    const dataHome = tmpDir();
    await expect(loadLfwPeople({ dataHome, variant: 'original', baseUrl, checksums })).rejects.toThrow(
      /Extracting .*lfw\.tgz failed/,
    );
    const left = fs.readdirSync(path.join(dataHome, 'lfw_home'));
    expect(left.filter((f) => f === 'lfw' || f.startsWith('.extract-'))).toEqual([]);
  });

  it('offline: the error says where to put the files', async () => {
    const dataHome = tmpDir();
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const err = (await loadLfwPeople({ dataHome, baseUrl: `http://127.0.0.1:${port}`, checksums }).catch(
      (e: Error) => e,
    )) as Error;
    expect(err.message).toMatch(/ECONNREFUSED/);
    expect(err.message).toContain(`${path.join(dataHome, 'lfw_home', 'lfw_funneled')}${path.sep}<Person_Name>`);
    expect(err.message).toMatch(/LRPJS_DATA_HOME/);
    expect(listFilesRecursive(dataHome).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('HTTP errors are reported with the status', async () => {
    const dataHome = tmpDir();
    await expect(loadLfwPeople({ dataHome, baseUrl: `${baseUrl}/missing`, checksums })).rejects.toThrow(/HTTP 404/);
  });
});
