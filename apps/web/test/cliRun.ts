/** A small run folder written by the real CLI (`lrpjs run`), so the explorer is tested on what users open. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { WEB_ROOT } from './server';

const CLI = path.resolve(WEB_ROOT, '../cli');

/** Where LFW is for the CLI (`--data-home`), or undefined when the shared data is missing. */
export function lfwDataHome(shared: string): string | undefined {
  const home = path.join(shared, 'data');
  return existsSync(path.join(home, 'lfw_home', 'lfw_deepfunneled')) ? home : undefined;
}

/**
 * net1, net2 (with SpatialDropout2D, which a production bundle must keep) and net4 (the residual face backbone),
 * trained for a few iterations on a few images: the accuracies are poor, the files are exactly the CLI's.
 */
export function writeCliRun(dataHome: string, out: string): { dir: string; classNames: string[] } {
  const args = [
    '--conditions=source',
    '--import',
    'tsx',
    'src/main.ts',
    'run',
    '--data-home',
    dataHome,
    '--variant',
    'deepfunneled',
    '--no-download',
    '--out',
    out,
    '--nets',
    'net1,net2,net4',
    '--iterations',
    '6',
    '--max-images',
    '80',
    '--gallery',
    '12',
    '--explain',
    '0',
  ];
  const r = spawnSync(process.execPath, args, { cwd: CLI, encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(path.join(out, 'metrics.json'))) {
    throw new Error(`lrpjs run failed (exit ${r.status}):\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
  }
  const metrics = JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8')) as { classNames: string[] };
  return { dir: out, classNames: metrics.classNames };
}

/** The run folder as a zip (paths inside start with the folder's name, as a desktop "compress" makes them). */
export function zipFolder(dir: string, zipPath: string): void {
  const files: Record<string, Uint8Array> = {};
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      const r = `${rel}/${name}`;
      if (statSync(full).isDirectory()) walk(full, r);
      else files[r] = readFileSync(full);
    }
  };
  walk(dir, path.basename(dir));
  writeFileSync(zipPath, zipSync(files, { level: 1 }));
}

/**
 * `lrpjs concepts` on net1 of a run written above: the reference atlas of relu3 (100 channels) over the first 40
 * images, 2 references per channel (about 30 s on 2 busy cores; net4's atlas takes minutes).
 */
export function writeCliConcepts(dataHome: string, run: string): void {
  const args = [
    '--conditions=source',
    '--import',
    'tsx',
    'src/main.ts',
    'concepts',
    '--run',
    run,
    '--net',
    'net1',
    '--layer',
    'relu3',
    '--top',
    '2',
    '--max-images',
    '40',
    '--examples',
    '0',
    '--data-home',
    dataHome,
    '--variant',
    'deepfunneled',
    '--no-download',
  ];
  const r = spawnSync(process.execPath, args, { cwd: CLI, encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(path.join(run, 'concepts', 'net1', 'atlas.json'))) {
    throw new Error(`lrpjs concepts failed (exit ${r.status}):\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
  }
}
