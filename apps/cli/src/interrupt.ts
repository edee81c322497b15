/**
 * Ctrl-C and kill: undo what the command half-wrote, end the progress line, and exit 130 / 143 as shells
 * expect (pnpm passes the code on; exiting 0 told scripts an interrupted run had succeeded).
 */
const cleanups = new Set<() => void>();
let installed = false;

/** Runs `fn` if the process is interrupted before the returned function is called. */
export function onInterrupt(fn: () => void): () => void {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

export function installInterruptHandlers(stream: NodeJS.WriteStream = process.stderr): void {
  if (installed) return;
  installed = true;
  const codes = { SIGINT: 130, SIGTERM: 143 } as const;
  for (const signal of Object.keys(codes) as (keyof typeof codes)[]) {
    process.once(signal, () => {
      // A progress bar may be drawn without its newline: end it so the message and the prompt start a line.
      stream.write('\n');
      for (const fn of cleanups) {
        try {
          fn();
        } catch {
          // best effort: the process is ending
        }
      }
      stream.write(`lrpjs: interrupted (${signal}); nothing was kept\n`);
      process.exit(codes[signal]);
    });
  }
}
