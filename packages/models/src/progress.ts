/** Receives training progress; see {@link createProgressReporter}. */
export interface ProgressReporter {
  start(total: number, label?: string): void;
  step(info: { step: number; loss: number }): void;
  evaluate(info: { iteration: number; loss: number; trainAccuracy?: number; testAccuracy?: number }): void;
  finish(summary?: string): void;
}

/** A writable text stream (process.stdout/stderr or anything alike). */
export interface TextStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressReporterOptions {
  /** Where to write. Default: `process.stderr` in Node; nothing elsewhere. */
  stream?: TextStream;
  /** Force the bar (true) or plain lines (false). Default: bar when the stream is a TTY. */
  tty?: boolean;
  /** Plain mode: print a line every this fraction of the run. Default 0.1. */
  plainEvery?: number;
  /** Minimum milliseconds between bar redraws. Default 100. */
  redrawMs?: number;
}

const fmt = (v: number | undefined, digits = 3): string => (v == null || Number.isNaN(v) ? '-' : v.toFixed(digits));

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * A dependency-free progress display: on a TTY a single redrawn line
 * `label [████░░░░] 1200/2501 loss 0.123 train 0.980 test 0.810 21.3 it/s ETA 1:01`, with each evaluation
 * printed above it; otherwise plain lines (evaluations, and every `plainEvery` of the run).
 */
export function createProgressReporter(options: ProgressReporterOptions = {}): ProgressReporter {
  const stream: TextStream | undefined =
    options.stream ??
    (typeof process !== 'undefined' && process.stderr != null ? (process.stderr as unknown as TextStream) : undefined);
  const tty = options.tty ?? Boolean(stream?.isTTY);
  const plainEvery = options.plainEvery ?? 0.1;
  const redrawMs = options.redrawMs ?? 100;
  let total = 1;
  let label = '';
  let started = 0;
  let lastDraw = 0;
  let nextPlain = 0;
  let lastLoss = Number.NaN;
  let lastStep = 0;
  let train: number | undefined;
  let test: number | undefined;
  let drawn = false;

  const write = (s: string): void => {
    stream?.write(s);
  };
  const rate = (): number => {
    const elapsed = (Date.now() - started) / 1000;
    return elapsed > 0 ? lastStep / elapsed : 0;
  };
  const line = (): string => {
    const r = rate();
    const eta = r > 0 ? (total - lastStep) / r : Number.NaN;
    const stats = `${lastStep}/${total} loss ${fmt(lastLoss)} train ${fmt(train)} test ${fmt(test)} ${r.toFixed(1)} it/s ETA ${duration(eta)}`;
    const width = Math.max(10, Math.min(30, (stream?.columns ?? 80) - stats.length - label.length - 5));
    const filled = Math.round((lastStep / total) * width);
    return `${label ? `${label} ` : ''}[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${stats}`;
  };
  const draw = (force = false): void => {
    const now = Date.now();
    if (!force && now - lastDraw < redrawMs) return;
    lastDraw = now;
    write(`\r\x1b[2K${line()}`);
    drawn = true;
  };
  const printAbove = (text: string): void => {
    if (tty) {
      write(`\r\x1b[2K${text}\n`);
      draw(true);
    } else {
      write(`${text}\n`);
    }
  };

  return {
    start(n, l = '') {
      total = Math.max(1, n);
      label = l;
      started = Date.now();
      lastDraw = 0;
      nextPlain = plainEvery;
      lastStep = 0;
      train = test = undefined;
      drawn = false;
      if (!tty) write(`${label ? `${label}: ` : ''}training ${total} steps\n`);
    },
    step({ step, loss }) {
      lastStep = step;
      lastLoss = loss;
      if (tty) draw(step === total);
      else if (step / total >= nextPlain) {
        nextPlain += plainEvery;
        write(`${label ? `${label}: ` : ''}step ${step}/${total} loss ${fmt(lastLoss)} ${rate().toFixed(1)} it/s\n`);
      }
    },
    evaluate({ iteration, loss, trainAccuracy, testAccuracy }) {
      train = trainAccuracy;
      test = testAccuracy;
      printAbove(
        `${label ? `${label}: ` : ''}iteration ${iteration}  loss ${fmt(loss)}  train: ${fmt(trainAccuracy)}  test: ${fmt(testAccuracy)}`,
      );
    },
    finish(summary) {
      if (tty && drawn) {
        draw(true);
        write('\n');
      }
      if (summary) write(`${summary}\n`);
    },
  };
}
