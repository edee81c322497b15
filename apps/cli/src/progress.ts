/**
 * Progress output: a redrawn bar on an interactive terminal, plain lines elsewhere (CI, pipes,
 * log files), where carriage returns would make an unreadable log.
 *
 * Progress goes to stderr so that stdout carries only results (summaries, accuracies).
 */

export type ProgressMode = 'bar' | 'plain' | 'silent';

/** Bars on a TTY unless CI is set; plain lines otherwise. */
export function detectProgressMode(
  stream: { isTTY?: boolean } = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): ProgressMode {
  const ci = env.CI && env.CI !== '0' && env.CI !== 'false';
  return stream.isTTY && !ci && env.TERM !== 'dumb' ? 'bar' : 'plain';
}

/** One long stage (training, decoding, explaining) with a known number of steps. */
export interface Stage {
  /** `done` steps of `total` are complete; `detail` is a short suffix such as `loss 0.41`. */
  update(done: number, detail?: string): void;
  /** The stage is over; prints its duration. Returns the elapsed seconds. */
  finish(detail?: string): number;
}

interface Writable {
  write(s: string): unknown;
  columns?: number;
}

export interface ProgressOptions {
  /** Default: {@link detectProgressMode}. */
  mode?: ProgressMode;
  /** Default: process.stderr. */
  stream?: Writable;
  /** Plain mode prints a line each time this fraction of a stage is crossed. Default 0.2. */
  plainStep?: number;
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - 60 * m)).padStart(2, '0')}s`;
}

/** What a pipeline step reports to: a {@link Progress}, or a worker thread's relay to its parent's. */
export type ProgressSink = Pick<Progress, 'stage' | 'log'>;

export class Progress {
  readonly mode: ProgressMode;
  private readonly stream: Writable;
  private readonly plainStep: number;
  /** The bar currently drawn on the terminal, if any, so log lines can clear and redraw it. */
  private barLine = '';

  constructor(options: ProgressOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.mode = options.mode ?? detectProgressMode(this.stream as { isTTY?: boolean });
    this.plainStep = options.plainStep ?? 0.2;
  }

  /** A line of information (stage results, notices), printed above any bar. */
  log(line: string): void {
    if (this.mode === 'silent') return;
    this.clearBar();
    this.stream.write(line + '\n');
    if (this.barLine) this.stream.write(this.barLine);
  }

  stage(label: string, total: number): Stage {
    const start = performance.now();
    const elapsed = () => (performance.now() - start) / 1000;
    let lastDraw = 0;
    let nextPlain = this.plainStep;
    let finished = false;
    const width = 24;

    const draw = (done: number, detail?: string) => {
      const frac = total > 0 ? Math.min(1, done / total) : 0;
      const filled = Math.round(frac * width);
      const eta = done > 0 ? (elapsed() * (total - done)) / done : NaN;
      let line =
        `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ` +
        `${String(Math.floor(frac * 100)).padStart(3)}% ${done}/${total}` +
        (detail ? ` ${detail}` : '') +
        (done < total ? ` eta ${formatSeconds(eta)}` : '');
      const columns = this.stream.columns ?? 120;
      if (line.length > columns - 1) line = line.slice(0, columns - 1);
      this.clearBar();
      this.barLine = line;
      this.stream.write(line);
    };

    if (this.mode === 'plain') this.stream.write(`${label}: started (${total} steps)\n`);

    return {
      update: (done, detail) => {
        if (finished || this.mode === 'silent') return;
        if (this.mode === 'bar') {
          const now = performance.now();
          if (now - lastDraw < 100 && done < total) return; // ~10 redraws/s is enough
          lastDraw = now;
          draw(done, detail);
        } else if (total > 0 && done / total >= nextPlain && done < total) {
          while (done / total >= nextPlain) nextPlain += this.plainStep;
          this.stream.write(`${label}: ${done}/${total}${detail ? ` ${detail}` : ''} (${formatSeconds(elapsed())})\n`);
        }
      },
      finish: (detail) => {
        const s = elapsed();
        if (finished) return s;
        finished = true;
        if (this.mode === 'silent') return s;
        this.clearBar();
        this.barLine = '';
        this.stream.write(`${label}: done in ${formatSeconds(s)}${detail ? ` — ${detail}` : ''}\n`);
        return s;
      },
    };
  }

  private clearBar(): void {
    if (this.mode === 'bar' && this.barLine) this.stream.write('\r\x1b[2K');
  }
}
