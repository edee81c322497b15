import { Command, CommanderError } from 'commander';
import { conceptsCommand } from './commands/concepts';
import { dataCommand } from './commands/data';
import { evaluateCommand } from './commands/evaluate';
import { evaluateExplanationsCommand } from './commands/evaluate-explanations';
import { explainDatasetCommand, workerCommand } from './commands/explain-dataset';
import { explainCommand } from './commands/explain-options';
import { reportCommand } from './commands/report';
import { runCommand } from './commands/run';
import { cleanCommand, runsCommand } from './commands/runs';
import { trainCommand } from './commands/train';
import { UsageError } from './errors';
import { cliVersion } from './metrics';

export const COMMAND_NAMES = [
  'run',
  'data',
  'train',
  'evaluate',
  'explain',
  'report',
  'evaluate-explanations',
  'runs',
  'clean',
  'concepts',
  'explain-dataset',
  'worker',
] as const;

/** The `lrpjs` program; `run` is the default command (the whole tutorial). */
export function buildProgram(): Command {
  const program = new Command('lrpjs')
    .description(
      'The PyTorch LRP tutorial in TypeScript: LFW faces, CNNs, transfer learning and LRP heatmaps.\n' +
        'Without a command, runs the whole tutorial (same as `lrpjs run`).',
    )
    .version(cliVersion(), '--version', 'print the version')
    .showSuggestionAfterError(true)
    .enablePositionalOptions(false);

  program.addCommand(runCommand(), { isDefault: true });
  program.addCommand(dataCommand());
  program.addCommand(trainCommand());
  program.addCommand(evaluateCommand());
  program.addCommand(explainCommand());
  program.addCommand(reportCommand());
  program.addCommand(evaluateExplanationsCommand());
  program.addCommand(runsCommand());
  program.addCommand(cleanCommand());
  program.addCommand(conceptsCommand());
  program.addCommand(explainDatasetCommand());
  program.addCommand(workerCommand());
  program.addHelpText(
    'after',
    '\nExamples:\n' +
      '  lrpjs --data-home ~/lfw --variant deepfunneled        the whole tutorial\n' +
      '  lrpjs data --data-home ~/lfw --export faces/           dataset summary and .npy export\n' +
      '  lrpjs train --net net2 --out runs/n2                   train one network\n' +
      '  lrpjs explain runs/n2/models/net2 --indices 0-7       LRP heatmaps\n' +
      '  lrpjs explain-dataset --model runs/n2/models/net2 --out lfw-lrp/   every LFW image, all cores, resumable\n' +
      '  lrpjs runs   /   lrpjs clean                           list / remove interrupted runs\n' +
      "  lrpjs <command> --help                                 a command's flags",
  );

  const quiet = (cmd: Command) => {
    // Errors are printed by main() as one line; commander's own multi-line output is muted.
    cmd.exitOverride().configureOutput({ outputError: () => undefined });
    cmd.commands.forEach(quiet);
  };
  quiet(program);
  return program;
}

/** Exit codes commander reports for --help / --version (success, nothing more to do). */
export function isHelpExit(err: unknown): err is CommanderError {
  return (
    err instanceof CommanderError &&
    ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(err.code) &&
    err.exitCode === 0
  );
}

/** Turns a commander parse error into one `lrpjs: problem — fix` usage error. */
export function toUsageError(err: CommanderError, argv: readonly string[]): UsageError {
  let message = err.message
    .replace(/^error:\s*/, '')
    .replace(/\s+/g, ' ')
    .trim();
  const command = argv.find((a) => (COMMAND_NAMES as readonly string[]).includes(a));
  const helpHint = `run 'lrpjs ${command ?? 'run'} --help' for the flags`;
  // "option '--seed <n>' argument '-1' is invalid. <why>" → "--seed '-1' is invalid: <why>"
  const invalid = /^option '(-[\w-]+)[^']*' argument '([^']*)' is invalid\.\s*(.*)$/.exec(message);
  if (invalid) {
    const [, flag, value, why] = invalid;
    message = why.startsWith('--') ? why : `${flag} '${value}' is invalid: ${why.replace(/^Allowed/, 'allowed')}`;
  }
  if (err.code === 'commander.excessArguments' && !command) {
    const stray = argv.find((a) => !a.startsWith('-'));
    return new UsageError(`unknown command '${stray ?? ''}'`, `commands: ${COMMAND_NAMES.join(', ')}`);
  }
  return new UsageError(message.replace(/\.$/, ''), helpHint);
}
