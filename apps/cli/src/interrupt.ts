/**
 * Ctrl-C and kill: undo what the command half-wrote, end the progress line, and exit 130 / 143 as shells
 * expect (pnpm passes the code on; exiting 0 told scripts an interrupted run had succeeded).
 */
const cleanups = new Set<() => string | void>();
let installed = false;

/**
 * Runs `fn` if the process is interrupted before the returned function is called. `fn` may return what was kept
 * (a resumable command's finished work), shown instead of "nothing was kept".
 */
export function onInterrupt(fn: () => string | void): () => void {
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
      let kept = 'nothing was kept';
      for (const fn of cleanups) {
        try {
          kept = fn() ?? kept;
        } catch {
          // best effort: the process is ending
        }
      }
      stream.write(`lrpjs: interrupted (${signal}); ${kept}\n`);
      process.exit(codes[signal]);
    });
  }
}
