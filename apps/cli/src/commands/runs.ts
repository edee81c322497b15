import { Command } from 'commander';
import path from 'node:path';
import { invocationDir, resolveUserPath } from '../paths';

function runsDir(arg: string | undefined): string {
  return arg ? resolveUserPath(arg) : path.join(invocationDir(), 'runs');
}

export function runsCommand(): Command {
  return new Command('runs')
    .description(
      'List the runs in a folder of runs: finished ones, interrupted ones (*.partial) and leftover temp files.',
    )
    .argument('[dir]', 'the folder of runs (default: runs/)')
    .action(async (dirArg: string | undefined) => {
      const { listRuns } = await import('@lrpjs/run/node');
      const dir = runsDir(dirArg);
      const listing = listRuns(dir);
      const out = (line: string) => process.stdout.write(line + '\n');
      out(
        `${dir}: ${listing.finished.length} finished, ${listing.interrupted.length} unfinished (*.partial), ${listing.tempFiles.length} temp files`,
      );
      for (const run of listing.finished) out(`  finished     ${path.basename(run)}`);
      for (const { dir: d, lock } of listing.interrupted) {
        const who = lock.info ? `process ${lock.info.pid} on ${lock.info.hostname}` : 'no lock';
        const state =
          lock.state === 'stale'
            ? `interrupted (${lock.why})`
            : lock.state === 'live'
              ? `running (${who})`
              : `other host (${who})`;
        out(`  partial      ${path.basename(d)}: ${state}`);
      }
      for (const t of listing.tempFiles)
        out(`  temp         ${path.relative(dir, t.file)}: ${t.alive ? `being written by ${t.pid}` : 'left over'}`);
      const stale =
        listing.interrupted.filter((i) => i.lock.state === 'stale').length +
        listing.tempFiles.filter((t) => !t.alive).length;
      if (stale) out(`remove the ${stale} left over with: lrpjs clean ${dirArg ?? ''}`.trimEnd());
    });
}

export function cleanCommand(): Command {
  return new Command('clean')
    .description(
      'Remove interrupted runs whose writer is gone (stale lock) and leftover temp files; running and finished runs are kept.',
    )
    .argument('[dir]', 'the folder of runs (default: runs/)')
    .option('--dry-run', 'only say what would be removed', false)
    .action(async (dirArg: string | undefined, opts: { dryRun: boolean }) => {
      const { cleanRuns } = await import('@lrpjs/run/node');
      const dir = runsDir(dirArg);
      const result = cleanRuns(dir, { dryRun: opts.dryRun });
      const out = (line: string) => process.stdout.write(line + '\n');
      for (const p of result.removed) out(`${opts.dryRun ? 'would remove' : 'removed'} ${path.relative(dir, p)}`);
      for (const k of result.kept) out(`kept ${path.relative(dir, k.path)} (${k.why})`);
      out(`${opts.dryRun ? 'would remove' : 'removed'} ${result.removed.length}, kept ${result.kept.length} in ${dir}`);
    });
}
