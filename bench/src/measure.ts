/** Timing helpers shared by the worker processes. */

/** Seconds on a monotonic clock. */
export type Clock = () => number;

export function now(): number {
  return performance.now() / 1000;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface MeasureOptions {
  /**
   * A quick, cheap run (e.g. one example) returning its estimate in seconds of one full run, so a
   * slow backend learns it would blow the budget before spending it.
   */
  probe: () => Promise<number>;
  /** One full run (awaits its results). */
  run: () => Promise<void>;
  reps: number;
  /** Seconds all runs together (warm-up included) may take. */
  budget: number;
  /** Where time comes from; tests pass a fake one so they never depend on how busy the machine is. Default `now`. */
  clock?: Clock;
}

export type Measured = { status: 'ok'; times: number[]; note?: string } | { status: 'skipped'; reason: string };

/**
 * Probe, then one warm-up run, then `reps` timed runs, cutting repetitions to fit the budget: the
 * warm-up goes first, then repetitions down to one; a single run projected over the budget skips
 * the stage (with the projection in the reason).
 */
export async function measure(options: MeasureOptions): Promise<Measured> {
  const { budget } = options;
  const clock = options.clock ?? now;
  const estimate = Math.max(await options.probe(), 1e-6);
  const notes: string[] = [];
  let reps = options.reps;
  let warmup = true;
  if (estimate > budget) {
    return { status: 'skipped', reason: `projected ${estimate.toFixed(1)} s per run > budget ${budget} s` };
  }
  if (estimate * (reps + 1) > budget) {
    reps = Math.min(reps, Math.max(1, Math.floor(budget / estimate) - 1));
    if (estimate * (reps + 1) > budget) warmup = false;
    notes.push(`budget: ${reps} rep${reps > 1 ? 's' : ''}${warmup ? '' : ', no warm-up'}`);
  }
  const start = clock();
  if (warmup) await options.run();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    // The warm-up measured the real cost: stop early rather than overrun (at least one timed run).
    if (i > 0 && clock() - start + median(times) > budget) {
      notes.push(`budget: ${i} of ${reps} reps`);
      break;
    }
    const t = clock();
    await options.run();
    times.push(clock() - t);
  }
  return { status: 'ok', times, ...(notes.length ? { note: notes.join('; ') } : {}) };
}

export interface ScaledProbeOptions {
  /** The smallest unit of work (one image). */
  single: () => Promise<void>;
  /** How many singles one full run costs (images per run). */
  singleScale: number;
  /** A larger unit that batches better (one real batch); omitted when it is the single. */
  batch?: () => Promise<void>;
  /** How many batches one full run costs. */
  batchScale?: number;
  budget: number;
  /** Where time comes from (default `now`). */
  clock?: Clock;
}

/**
 * Estimates a full run from one image, which is cheap even where an image takes seconds: a cold
 * single (pays set-up costs; hopeless stages stop here), a warm single, and, when that still looks
 * over budget, one real batch, since per-image overheads make singles pessimistic on fast backends.
 */
export async function scaledProbe(o: ScaledProbeOptions): Promise<number> {
  const clock = o.clock ?? now;
  const time = async (f: () => Promise<void>) => {
    const t = clock();
    await f();
    return clock() - t;
  };
  let estimate = (await time(o.single)) * o.singleScale;
  if (estimate > 8 * o.budget) return estimate;
  estimate = (await time(o.single)) * o.singleScale;
  if (estimate > o.budget && o.batch) estimate = Math.min(estimate, (await time(o.batch)) * (o.batchScale ?? 1));
  return estimate;
}
