import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BenchSettings } from './options';
import type { RunnerResult, StageId, StageOutcome } from './stages';

export interface WorkerConfig {
  settings: BenchSettings;
  backend: 'node' | 'tensorflow' | 'wasm' | 'cpu';
  /** Where to write the {@link RunnerResult}. */
  out: string;
}

/** Collects a worker's stage outcomes and keeps its result file current. */
export class Recorder {
  readonly result: RunnerResult;

  constructor(
    private readonly out: string,
    backend: string,
  ) {
    this.result = { runner: 'lrpjs', backend, status: 'ok', versions: { node: process.versions.node }, stages: {} };
  }

  log(message: string): void {
    process.stderr.write(`[${this.result.backend}] ${message}\n`);
  }

  write(): void {
    // maxRSS is in KiB.
    this.result.peakRssMiB = process.resourceUsage().maxRSS / 1024;
    fs.writeFileSync(this.out, JSON.stringify(this.result, null, 1));
  }

  /** Runs one stage if requested, records its outcome (a failure does not stop the others). */
  async stage(settings: BenchSettings, id: StageId, body: () => Promise<StageOutcome>): Promise<void> {
    if (!settings.stages.includes(id)) return;
    this.log(`${id} ...`);
    let outcome: StageOutcome;
    try {
      outcome = await body();
    } catch (e) {
      const err = e as Error;
      process.stderr.write(`${err.stack ?? err}\n`);
      outcome = { status: 'failed', reason: err.message.split('\n')[0] };
    }
    this.result.stages[id] = outcome;
    this.log(
      outcome.status === 'ok'
        ? `${id}: ${outcome.times.map((t) => t.toFixed(3)).join(', ')} s${outcome.note ? ` (${outcome.note})` : ''}`
        : `${id}: ${outcome.status} (${outcome.reason})`,
    );
    this.write();
  }
}

/** A fresh, empty temp folder (removed by the caller). */
export function scratchDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
