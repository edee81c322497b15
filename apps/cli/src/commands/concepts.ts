import { Command, InvalidArgumentError, Option } from 'commander';
import fs from 'node:fs';
import { CliError } from '../errors';
import { parseIndexList } from '../indices';
import { compositeSettings } from '../net-names';
import { resolveUserPath } from '../paths';
import { addSharedOptions, parseInteger, type SharedOptions } from '../shared-options';
import { addCompositeOptions } from './run';

interface ConceptsCliOptions extends SharedOptions {
  run: string;
  net: string;
  layer: string[];
  top: number;
  batch?: number;
  target: 'true' | 'predicted';
  maxImages?: number;
  composite: string;
  gamma?: number;
  epsilon?: number;
  lowest?: number;
  highest?: number;
}

function parseLayers(v: string): string[] {
  const names = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new InvalidArgumentError('give one layer name or several, comma-separated.');
  return names;
}

export function conceptsCommand(): Command {
  const cmd = new Command('concepts')
    .description(
      'Concept Relevance Propagation: build the reference atlas of a net in a run folder. For every channel of the ' +
        'chosen layers, the dataset images (and the crop inside each) of highest relevance (RelMax) and activation ' +
        '(ActMax), from one batched pass over all images; checkpointed, resumable, skipped when nothing changed.',
    )
    .requiredOption('--run <dir>', 'a run folder (holding models/<net>)')
    .requiredOption('--net <name>', 'the net in the run folder, e.g. net4')
    .requiredOption(
      '--layer <names>',
      'layer name(s), comma-separated (e.g. relu3 for net1, conv128_2_relu for net4)',
      parseLayers,
    )
    .option('--top <n>', 'reference images per channel', parseInteger('top', 1), 8)
    .option('--batch <n>', 'images per explanation (default 64 for 64×64 nets, 16 for net4)', parseInteger('batch', 1))
    .addOption(
      new Option('--target <which>', 'class whose relevance ranks the samples')
        .choices(['true', 'predicted'])
        .default('true'),
    )
    .option('--max-images <n>', 'use only the first n images (quick checks)', parseInteger('max-images', 1))
    .option(
      '--examples <indices>',
      "test images whose concepts go into the run's report",
      (v: string) => {
        try {
          return parseIndexList(v);
        } catch (err) {
          throw new InvalidArgumentError(`--examples: ${(err as Error).message}.`);
        }
      },
      [0, 1, 2, 3],
    );
  addCompositeOptions(cmd);
  addSharedOptions(cmd, ['backend', 'data']);
  return cmd.action(async (opts: ConceptsCliOptions) => {
    const run = resolveUserPath(opts.run);
    if (!fs.existsSync(run) || !fs.statSync(run).isDirectory()) {
      throw new CliError(`run folder ${run} does not exist`, 'give the folder a run wrote (runs/<timestamp>)');
    }
    const { runConcepts } = await import('./concepts-atlas');
    await runConcepts({
      ...opts,
      run,
      layers: opts.layer,
      composite: compositeSettings(opts),
    });
  });
}
