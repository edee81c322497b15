import { Command, Option } from 'commander';
import os from 'node:os';
import { UsageError } from '../errors';
import { compositeSettings } from '../net-names';
import { resolveUserPath } from '../paths';
import { addSharedOptions, parseInteger, type SharedOptions } from '../shared-options';
import { addCompositeOptions } from './run';

interface ExplainDatasetFlags extends SharedOptions {
  model: string;
  images?: string;
  out: string;
  composite: string;
  gamma?: number;
  epsilon?: number;
  lowest?: number;
  highest?: number;
  target?: string;
  workers: number;
  shardSize: number;
  memory?: number;
  heatmaps: boolean;
  maxImages?: number;
  queue?: string;
  queueName: string;
}

const cpus = () => os.availableParallelism();

/** `--workers` and `--memory`, shared by explain-dataset and worker. */
function addWorkerOptions(cmd: Command): Command {
  return cmd
    .option(
      '--workers <n>',
      'worker threads, each with its own model copy (default: the CPUs)',
      parseInteger('workers', 1),
    )
    .option(
      '--memory <MB>',
      'memory for all worker threads together; sets the images per LRP pass (default: half the RAM)',
      parseInteger('memory', 64),
    )
    .option('--queue-name <name>', 'BullMQ queue name', 'lrpjs-explain');
}

export function explainDatasetCommand(): Command {
  const cmd = new Command('explain-dataset')
    .description(
      'Explain every image of a dataset with LRP, in resumable shards: relevance (.npy) and heatmaps (PNG), with ' +
        'worker threads here, or with `lrpjs worker` processes anywhere through a Redis queue (--queue).',
    )
    .requiredOption('--model <dir>', 'the model folder (e.g. runs/<timestamp>/models/net1) or its model.json')
    .option('--images <dir>', 'a folder of image files (searched recursively); default: the LFW images (--data-home)')
    .requiredOption('--out <dir>', 'output folder; run again with the same --out to resume')
    .option(
      '--target <class>',
      "class to explain: 'true' (LFW, the default there), 'predicted' (the default for --images), an index or a name",
    )
    .option(
      '--shard-size <n>',
      'images per shard (the unit of work and of resuming)',
      parseInteger('shard-size', 1),
      64,
    )
    .option('--no-heatmaps', 'write relevance only, no heatmap PNGs')
    .option('--max-images <n>', 'only the first N images (quick checks)', parseInteger('max-images', 1))
    .option('--queue <url>', 'redis://host:port — enqueue the shards for `lrpjs worker` processes and wait for them');
  addWorkerOptions(cmd);
  addCompositeOptions(cmd);
  addSharedOptions(cmd, ['backend', 'data']);
  return cmd.action(async (opts: ExplainDatasetFlags) => {
    const { runExplainDataset, defaultMemoryMb } = await import('../explain-dataset');
    const { checkQueueUrl, DEFAULT_QUEUE_NAME } = await import('../queue');
    if (opts.queue && opts.workers !== undefined) {
      throw new UsageError('--workers has no effect with --queue', 'give each `lrpjs worker` its --workers');
    }
    await runExplainDataset({
      ...opts,
      model: resolveUserPath(opts.model),
      images: opts.images === undefined ? undefined : resolveUserPath(opts.images),
      out: resolveUserPath(opts.out),
      composite: compositeSettings(opts),
      workers: opts.workers ?? cpus(),
      memory: opts.memory ?? defaultMemoryMb(),
      queue: opts.queue === undefined ? undefined : checkQueueUrl(opts.queue),
      queueName: opts.queueName ?? DEFAULT_QUEUE_NAME,
    });
  });
}

interface WorkerFlags {
  queue: string;
  queueName: string;
  workers?: number;
  memory?: number;
  backend: SharedOptions['backend'];
  lockSeconds: number;
  dataHome?: string;
}

export function workerCommand(): Command {
  const cmd = new Command('worker')
    .description(
      'Explain shards of `explain-dataset --queue` runs: takes jobs from the Redis queue until stopped (Ctrl-C); ' +
        'run one per machine, as many machines as you like (model, images and --out on a shared disk).',
    )
    .requiredOption('--queue <url>', 'redis://host:port of the queue')
    .option(
      '--lock-seconds <s>',
      "a job whose worker is gone this long goes back to the queue (BullMQ's lock duration)",
      parseInteger('lock-seconds', 1),
      30,
    )
    .option('--data-home <dir>', "this machine's folder holding lfw_home/ (default: the producer's)", resolveUserPath)
    .addOption(
      new Option('--backend <name>', 'tfjs backend: auto picks tfjs-node, then wasm, then cpu')
        .choices(['auto', 'tensorflow', 'wasm', 'cpu'])
        .default('auto'),
    );
  addWorkerOptions(cmd);
  return cmd.action(async (opts: WorkerFlags) => {
    const { defaultMemoryMb } = await import('../explain-dataset');
    const { runWorker, checkQueueUrl } = await import('../queue');
    await runWorker(
      {
        ...opts,
        queue: checkQueueUrl(opts.queue),
        workers: opts.workers ?? cpus(),
        memory: opts.memory ?? defaultMemoryMb(),
      },
      (line) => process.stderr.write(line + '\n'),
    );
  });
}
