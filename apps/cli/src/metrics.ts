import fs from 'node:fs';
import path from 'node:path';
import { CliError } from './errors';

/** One point of a training curve (the tutorial prints accuracies every nbit/5 iterations). */
export interface CurvePoint {
  iteration: number;
  loss?: number;
  trainAccuracy: number;
  testAccuracy: number;
}

/** What metrics.json says about one network. */
export interface NetMetrics {
  description: string;
  inputSize: number;
  trainAccuracy: number;
  testAccuracy: number;
  curve: CurvePoint[];
  perClassAccuracy: number[];
  /** rows = true class, columns = predicted class */
  confusion: number[][];
  /** relative to the run folder, e.g. `models/net1` */
  modelPath: string;
  /** seconds spent training (or extracting features and fitting the head) */
  trainSeconds?: number;
  /** The heatmap row of the run: test images explained and the symmetric limit it was drawn with. */
  heatmap?: { testIndices: number[]; targets: number[]; limit: number; file: string; relevanceFile: string };
}

/** The run folder's metrics.json (CONTRACTS.md, version 1). */
export interface RunMetrics {
  version: 1;
  createdAt: string;
  backend: string;
  versions: { lrpjs: string; tfjs: string; node: string };
  settings: Record<string, unknown> & {
    dataHome: string;
    variant: string;
    seed: number;
    iterations: number;
  };
  seconds: Record<string, number>;
  classNames: string[];
  nets: Record<string, NetMetrics>;
  skipped: Record<string, string>;
}

/** The CLI's own version, stamped into metrics.json as `versions.lrpjs`. */
export function cliVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return 'unknown';
  }
}

export function readMetrics(runDir: string): RunMetrics {
  const file = path.join(runDir, 'metrics.json');
  if (!fs.existsSync(file)) {
    const partial = fs.existsSync(`${runDir}.partial`) ? ` (${runDir}.partial is an interrupted run)` : '';
    throw new CliError(
      `no metrics.json in ${runDir}${partial}`,
      'give the folder of a finished run (runs/<timestamp>)',
    );
  }
  let metrics: RunMetrics;
  try {
    metrics = JSON.parse(fs.readFileSync(file, 'utf8')) as RunMetrics;
  } catch (err) {
    throw new CliError(`${file} is not valid JSON: ${(err as Error).message}`, 'rerun the command that wrote it');
  }
  if (metrics.version !== 1) {
    throw new CliError(
      `${file} has version ${String(metrics.version)}, this lrpjs reads version 1`,
      'rerun the tutorial with this lrpjs',
    );
  }
  return metrics;
}
