import { Command } from 'commander';
import { resolveUserPath } from '../paths';

export function reportCommand(): Command {
  return new Command('report')
    .description('Rebuild report.html of a run folder from its metrics.json and pictures.')
    .argument('<run-dir>', 'a run folder, e.g. runs/20250101-120000')
    .option('--verbose', 'show stack traces', false)
    .action(async (runDir: string) => {
      const dir = resolveUserPath(runDir);
      const { writeReport } = await import('../report');
      const { readMetrics } = await import('../metrics');
      // Validated first: an interrupted run, a missing folder or a damaged metrics.json each get their own message.
      const file = writeReport(dir, readMetrics(dir));
      process.stdout.write(`wrote ${file}\n`);
    });
}
