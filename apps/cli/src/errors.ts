/**
 * Errors and exit codes of the command line.
 *
 * Every failure is shown as ONE line, `lrpjs: <problem> — <fix>`, because a stack trace tells a
 * user of the tool nothing; `--verbose` or `DEBUG` brings the stack back for whoever debugs lrpjs.
 */

/** Exit codes: 0 success, 1 failure while running, 2 usage (bad flag, missing argument). */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error in how the command was called: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(problem: string, fix = "run 'lrpjs --help' for the commands and their flags") {
    super(joinProblemAndFix(problem, fix));
  }
}

/** A failure the user can act on (missing file, model/image mismatch): one line, exit code 1. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(problem: string, fix?: string) {
    super(joinProblemAndFix(problem, fix));
  }
}

function joinProblemAndFix(problem: string, fix?: string): string {
  return fix ? `${problem} — ${fix}` : problem;
}

/** The exit code an error maps to. */
export function exitCodeOf(err: unknown): ExitCode {
  return err instanceof UsageError ? EXIT.usage : EXIT.failure;
}

/** True when stacks should be shown: `--verbose` on the command line, or env DEBUG set. */
export function isVerbose(argv: readonly string[] = process.argv): boolean {
  return argv.includes('--verbose') || argv.includes('-v') || Boolean(process.env.DEBUG);
}

/**
 * The single line shown for an error. Package errors already name the problem and the fix
 * (house rule), so their message is used as it is, flattened to one line.
 */
export function formatError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const oneLine = message.replace(/\s*\n\s*/g, ' ').trim() || 'unknown error';
  return `lrpjs: ${oneLine}`;
}
