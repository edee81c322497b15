import { Command } from 'commander';
import { resolveUserPath } from '../paths';
import { formatSeconds, Progress } from '../progress';
import { addSharedOptions, parseInteger, type SharedOptions } from '../shared-options';

interface DataOptions extends Pick<SharedOptions, 'dataHome' | 'variant' | 'download' | 'verbose'> {
  export?: string;
  minFaces: number;
  size: number;
}

export function dataCommand(): Command {
  const cmd = new Command('data')
    .description(
      "Load LFW with the tutorial's options (crop 68:197, resize 0.5, colour, ≥ 40 faces per person), " +
        'downloading it when missing, and print a summary; --export writes it as NumPy files.',
    )
    .option('--export <dir>', 'write images.npy (float32 N×H×W×C), targets.npy (int32), target_names.json')
    .option('--min-faces <n>', 'keep people with at least this many images', parseInteger('min-faces', 0), 40)
    .option(
      '--size <px>',
      'image side: 64 (the tutorial) or any other size of the same crop',
      parseInteger('size', 8, 1024),
      64,
    );
  addSharedOptions(cmd, ['data']);
  return cmd.action(async (opts: DataOptions) => runData(opts));
}

async function runData(opts: DataOptions): Promise<void> {
  // lazy: keeps `--help` and usage errors fast
  const { exportDataset, formatSummary, summarizeDataset } = await import('@lrpjs/data');
  const { loadTutorialDataset } = await import('../dataset');
  const progress = new Progress();
  const ds = await loadTutorialDataset(
    {
      dataHome: opts.dataHome,
      variant: opts.variant,
      download: opts.download,
      size: opts.size,
      minFacesPerPerson: opts.minFaces,
    },
    progress,
  );
  const { all, train, test } = ds;
  let min = Infinity;
  let max = -Infinity;
  for (const v of all.images) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const out = (line: string) => process.stdout.write(line + '\n');
  out(`LFW ${opts.variant} from ${all.info?.folder ?? opts.dataHome}`);
  out(formatSummary(summarizeDataset(all)));
  out(
    `pixels ${min.toFixed(3)}..${max.toFixed(3)}; tutorial split: train ${train.shape[0]} ([::2]), test ${test.shape[0]} ([1::2])`,
  );
  out(`loaded in ${formatSeconds(ds.seconds)} (cache ${all.info?.cache ?? 'off'})`);

  if (opts.export) {
    const dir = resolveUserPath(opts.export);
    const start = performance.now();
    const files = await exportDataset(all, dir);
    out(
      `exported ${files.images}, ${files.targets}, ${files.targetNames} in ${formatSeconds((performance.now() - start) / 1000)}`,
    );
  }
}
