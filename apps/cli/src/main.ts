import { CommanderError } from 'commander';
import { EXIT, exitCodeOf, formatError, isVerbose } from './errors';
import { installInterruptHandlers } from './interrupt';
import { buildProgram, isHelpExit, toUsageError } from './program';

/** Runs the CLI on `args` (without node and script) and resolves to the exit code. */
export async function main(args: string[]): Promise<number> {
  // `pnpm --filter cli start -- data …` hands the script a literal leading `--`.
  if (args[0] === '--') args = args.slice(1);
  const program = buildProgram();
  try {
    await program.parseAsync(args, { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    if (isHelpExit(err)) return EXIT.ok;
    const shown = err instanceof CommanderError ? toUsageError(err, args) : err;
    process.stderr.write(formatError(shown) + '\n');
    if (isVerbose(args) && err instanceof Error && err.stack && !(err instanceof CommanderError)) {
      process.stderr.write(err.stack + '\n');
    }
    return exitCodeOf(shown);
  }
}

if (require.main === module) {
  installInterruptHandlers();
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(formatError(err) + '\n');
      process.exit(EXIT.failure);
    },
  );
}
