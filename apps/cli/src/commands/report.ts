import { Command } from 'commander';
import fs from 'node:fs';
import { CliError } from '../errors';
import { resolveUserPath } from '../paths';

export function reportCommand(): Command {
  return new Command('report')
    .description('Rebuild report.html of a run folder from its metrics.json and pictures.')
    .argument('<run-dir>', 'a run folder, e.g. runs/20250101-120000')
    .option('--verbose', 'show stack traces', false)
    .action(async (runDir: string) => {
      const dir = resolveUserPath(runDir);
      if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        throw new CliError(`run folder ${dir} does not exist`, 'give the folder a run wrote (runs/<timestamp>)');
      }
      const { writeReport } = await import('../report');
      const file = writeReport(dir);
      process.stdout.write(`wrote ${file}\n`);
    });
}
