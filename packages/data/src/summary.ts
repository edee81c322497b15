import { exportDataset } from './npy';
import { loadLfwPeople } from './lfw';
import { TUTORIAL_LFW_OPTIONS } from './tutorial';
import type { LfwDataset, LfwLoadInfo, LfwOptions } from './types';

export interface DatasetSummary {
  /** Number of images. */
  images: number;
  /** Number of people (classes). */
  people: number;
  /** NHWC shape of the image array. */
  shape: [number, number, number, number];
  /** Images per person, in target order (index = target). */
  counts: { target: number; name: string; count: number }[];
}

export function summarizeDataset(ds: LfwDataset): DatasetSummary {
  const counts = ds.targetNames.map((name, target) => ({ target, name, count: 0 }));
  for (const t of ds.targets) counts[t].count++;
  return { images: ds.shape[0], people: ds.targetNames.length, shape: [...ds.shape], counts };
}

/** Human-readable summary lines: totals, shape, then people by decreasing count. */
export function formatSummary(s: DatasetSummary): string {
  const width = Math.max(...s.counts.map((c) => c.name.length));
  const rows = [...s.counts]
    .sort((a, b) => b.count - a.count || a.target - b.target)
    .map((c) => `  ${String(c.target).padStart(3)}  ${c.name.padEnd(width)}  ${String(c.count).padStart(5)}`);
  return [
    `${s.images} images of ${s.people} people, images ${s.shape.join('x')} (NHWC float32 in [0, 1])`,
    ...rows,
  ].join('\n');
}

export interface DataCommandOptions extends LfwOptions {
  /** Folder for images.npy, targets.npy and target_names.json; nothing is written when absent. */
  exportDir?: string;
  /** Output line sink. Default `console.log`. */
  log?: (line: string) => void;
}

export interface DataCommandResult {
  summary: DatasetSummary;
  /** Seconds spent loading (decode or cache) and exporting. */
  seconds: { load: number; export?: number };
  cache: LfwLoadInfo['cache'];
  exported?: { images: string; targets: string; targetNames: string };
}

/**
 * The CLI's `data` subcommand: loads LFW people with the tutorial's options (overridable), prints a
 * summary (people, counts, shape, seconds) and optionally exports NPY files.
 */
export async function runDataCommand(options: DataCommandOptions = {}): Promise<DataCommandResult> {
  const { exportDir, log = console.log, ...rest } = options;
  const lfwOptions: LfwOptions = { ...TUTORIAL_LFW_OPTIONS, ...rest };
  const t0 = performance.now();
  const ds = await loadLfwPeople(lfwOptions);
  const load = (performance.now() - t0) / 1000;
  const summary = summarizeDataset(ds);
  log(formatSummary(summary));
  log(`loaded from ${ds.info?.folder} in ${load.toFixed(2)} s (cache ${ds.info?.cache})`);
  const result: DataCommandResult = { summary, seconds: { load }, cache: ds.info?.cache ?? 'off' };
  if (exportDir) {
    const t1 = performance.now();
    result.exported = await exportDataset(ds, exportDir);
    result.seconds.export = (performance.now() - t1) / 1000;
    log(
      `wrote ${result.exported.images}, ${result.exported.targets}, ${result.exported.targetNames} in ${result.seconds.export.toFixed(2)} s`,
    );
  }
  return result;
}
