import { forwardFlops, lrpFlops, net1Layers, net3Layers, trainStepFlops, vgg17Layers } from './flops';
import { median } from './measure';
import { formatProfile } from './profile';
import { STAGES, STAGE_LABELS, type RunnerResult, type StageId } from './stages';

/** One line of the table: a stage on one runner. */
export interface ResultRow {
  stage: StageId | 'peak_memory';
  label: string;
  /** `pytorch`, `node` (load-only process) or the tfjs backend. */
  backend: string;
  status: 'ok' | 'skipped' | 'failed' | 'unavailable';
  /** Median seconds of the timed repetitions (peak_memory: MiB); null unless ok. */
  value: number | null;
  unit: 's' | 'MiB';
  times?: number[];
  reps?: number;
  /** value / PyTorch's value for the same stage (> 1: slower / more memory than PyTorch). */
  ratio?: number;
  /** FLOPs of one repetition (analytic) and the rate they imply. */
  flops?: number;
  gflops?: number;
  perStepMs?: number;
  note?: string;
}

/** Analytic FLOPs of one repetition of a stage; undefined where not counted. */
export function stageFlops(
  stage: StageId,
  outcome: { images?: number; steps?: number; flops?: number },
  numClasses: number,
  size: number,
): number | undefined {
  switch (stage) {
    case 'train_net1':
      return outcome.steps ? outcome.steps * trainStepFlops(net1Layers(numClasses, size), 25) : undefined;
    case 'vgg_features':
      return outcome.images ? outcome.images * forwardFlops(vgg17Layers(size)) : undefined;
    case 'lrp_net1':
      return outcome.images ? outcome.images * lrpFlops(net1Layers(numClasses, size)) : undefined;
    case 'lrp_vgg':
      return outcome.images ? outcome.images * lrpFlops(net3Layers(numClasses, size)) : undefined;
    case 'lrp_face':
      return outcome.flops;
    default:
      return undefined;
  }
}

/** Rows for every requested stage and runner, PyTorch first, then peak memory per process. */
export function buildRows(runners: RunnerResult[], stages: readonly StageId[]): ResultRow[] {
  const data = runners.find((r) => r.data)?.data;
  const numClasses = data?.classes ?? 19;
  const size = data?.shape[0] ?? 64; // [h, w, c] on both sides
  const rows: ResultRow[] = [];
  for (const stage of STAGES) {
    if (!stages.includes(stage)) continue;
    const stageRows: ResultRow[] = [];
    for (const runner of runners) {
      const outcome = runner.stages[stage];
      const base = { stage, label: STAGE_LABELS[stage], backend: runner.backend, unit: 's' as const };
      // A runner that never started gets no rows: the footer says why (see formatFooter).
      if (runner.status === 'unavailable' || (runner.status === 'failed' && Object.keys(runner.stages).length === 0))
        continue;
      if (!outcome) continue;
      if (outcome.status !== 'ok') {
        stageRows.push({ ...base, status: outcome.status, value: null, note: outcome.reason });
        continue;
      }
      const value = median(outcome.times);
      const flops = stageFlops(stage, outcome, numClasses, size);
      const notes: string[] = [];
      if (outcome.perStepMs !== undefined) notes.push(`${outcome.perStepMs.toFixed(1)} ms/step × ${outcome.steps}`);
      if (outcome.trainAccuracy !== undefined) {
        notes.push(`acc ${outcome.trainAccuracy.toFixed(3)}/${outcome.testAccuracy?.toFixed(3) ?? '–'}`);
      }
      if (outcome.images !== undefined && stage !== 'train_net1')
        notes.push(`${outcome.images} img${outcome.batch ? ` /${outcome.batch}` : ''}`);
      if (outcome.note) notes.push(outcome.note);
      stageRows.push({
        ...base,
        status: 'ok',
        value,
        times: outcome.times,
        reps: outcome.times.length,
        flops,
        gflops: flops !== undefined && value > 0 ? flops / value / 1e9 : undefined,
        perStepMs: outcome.perStepMs,
        note: notes.join('; ') || undefined,
      });
    }
    addRatios(stageRows);
    rows.push(...stageRows);
  }
  const memory: ResultRow[] = runners
    .filter((r) => r.peakRssMiB !== undefined && r.status !== 'unavailable' && r.status !== 'failed')
    .map((r) => ({
      stage: 'peak_memory' as const,
      label: 'peak memory (RSS)',
      backend: r.backend,
      status: 'ok' as const,
      value: r.peakRssMiB as number,
      unit: 'MiB' as const,
      note: r.backend === 'node' ? 'load process' : r.runner === 'pytorch' ? 'all stages, one process' : undefined,
    }));
  addRatios(memory);
  // The load-only process does a fraction of the work of PyTorch's one process: no ratio.
  for (const row of memory) if (row.backend === 'node') delete row.ratio;
  rows.push(...memory);
  return rows;
}

function addRatios(rows: ResultRow[]): void {
  const ref = rows.find((r) => r.backend === 'pytorch' && r.value !== null)?.value;
  if (!ref) return;
  for (const row of rows) if (row.value !== null && row.backend !== 'pytorch') row.ratio = row.value / ref;
}

/** The --profile sections: per runner and stage, the kernels of the profiled repetition. */
export function formatProfiles(runners: RunnerResult[], top = 10): string[] {
  const lines: string[] = [];
  for (const runner of runners) {
    for (const stage of STAGES) {
      const outcome = runner.stages[stage];
      if (outcome?.status !== 'ok' || !outcome.profile) continue;
      lines.push(...formatProfile(`${STAGE_LABELS[stage]} [${runner.backend}]`, outcome.profile, top));
    }
  }
  return lines.length > 0
    ? ['Profiles (one extra repetition under tf.profile; training: 20 steps of one batch):', ...lines, '']
    : [];
}

/** One line per runner that did not run (or stopped early), with the reason. */
export function formatFooter(runners: RunnerResult[]): string[] {
  return runners
    .filter((r) => r.reason)
    .map((r) => `${r.backend}: ${r.status === 'ok' ? 'incomplete' : r.status} — ${r.reason}`);
}

function fmt(value: number | null | undefined, unit?: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  if (unit === 'MiB') return value.toFixed(0);
  return value >= 100 ? value.toFixed(1) : value >= 1 ? value.toFixed(2) : value.toFixed(3);
}

/** The table as aligned Markdown (readable in a terminal, pasteable into the README). */
export function formatTable(rows: ResultRow[]): string {
  const header = ['stage', 'backend', 'median', 'reps', '× PyTorch', 'GFLOP/s', 'notes'];
  const body = rows.map((r) => [
    r.label,
    r.backend,
    r.status === 'ok' ? `${fmt(r.value, r.unit)} ${r.unit}` : r.status,
    r.reps !== undefined ? String(r.reps) : '',
    r.ratio !== undefined ? `${r.ratio.toFixed(2)}×` : '',
    r.gflops !== undefined ? r.gflops.toFixed(1) : '',
    (r.note ?? '').replace(/\|/g, '/'),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i >= 2 && i <= 5 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i >= 2 && i <= 5 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}
