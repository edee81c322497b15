// The measurement scripts' terminal progress display (the libraries only call `onProgress` callbacks).

/** What an `onProgress` callback of @lrpjs/data or @lrpjs/models reports. */
export interface ProgressEvent {
  stage: string;
  done: number;
  total: number;
  detail?: string;
}

export interface ProgressBarOptions {
  /** Where to draw. Default `process.stderr`. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Bar width in characters (TTY only). Default 30. */
  width?: number;
}

function formatAmount(stage: string, n: number): string {
  return stage === 'download' ? `${(n / 1048576).toFixed(1)} MB` : String(n);
}

/**
 * An `onProgress` callback that draws a one-line bar on a terminal (redrawn in place), or, when the stream
 * is not a TTY (CI logs, pipes), prints a plain line per stage at every 10% step.
 */
export function createProgressBar(options: ProgressBarOptions = {}): (p: ProgressEvent) => void {
  const stream = options.stream ?? process.stderr;
  const width = options.width ?? 30;
  const tty = Boolean(stream.isTTY);
  let lastKey = '';
  let lastStep = -1;
  let lastDraw = 0;
  return (p: ProgressEvent) => {
    const key = `${p.stage}:${p.detail ?? ''}`;
    const finished = p.total > 0 && p.done >= p.total;
    const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
    const label = `${p.stage}${p.detail ? ` ${p.detail}` : ''}`;
    const amount =
      p.total > 0
        ? `${formatAmount(p.stage, p.done)}/${formatAmount(p.stage, p.total)}`
        : formatAmount(p.stage, p.done);
    if (tty) {
      const now = Date.now();
      if (key === lastKey && !finished && now - lastDraw < 100) return; // keep redraws cheap
      lastDraw = now;
      if (key !== lastKey && lastKey) stream.write('\n');
      lastKey = key;
      const filled = Math.round(frac * width);
      const bar =
        p.total > 0
          ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%`
          : '[...]';
      stream.write(`\r${label} ${bar} ${amount}\x1b[K${finished ? '\n' : ''}`);
      if (finished) lastKey = '';
      return;
    }
    const step = p.total > 0 ? Math.floor(frac * 10) : 0;
    if (key === lastKey && step === lastStep) return;
    lastKey = key;
    lastStep = step;
    stream.write(`${label}: ${p.total > 0 ? `${step * 10}% ` : ''}(${amount})\n`);
  };
}
