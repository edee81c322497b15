import fs from 'node:fs';
import path from 'node:path';
import type { RunMetrics } from '@lrpjs/run';
import { readRunFolderMetrics } from '@lrpjs/run/node';

export type { CurvePoint, NetMetrics, RunMetrics } from '@lrpjs/run';

/** The CLI's own version, stamped into metrics.json as `versions.lrpjs`. */
export function cliVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return 'unknown';
  }
}

/** metrics.json of a finished run, validated (the run folder's schema, @lrpjs/run); errors name file and field. */
export function readMetrics(runDir: string): RunMetrics {
  return readRunFolderMetrics(runDir);
}
