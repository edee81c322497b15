import { Command, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../errors';
import { parseIndexList } from '../indices';
import { outputDir, resolveUserPath } from '../paths';
import { addSharedOptions, parseInteger, type SharedOptions } from '../shared-options';
import { addCompositeOptions } from './run';

interface ExplainOptions extends SharedOptions {
  images?: string[];
  indices?: number[];
  split: 'test' | 'train';
  target?: string;
  composite: string;
  gamma?: number;
  epsilon?: number;
  lowest?: number;
  highest?: number;
  model?: string;
  output?: string;
  inputRange?: string;
  concepts?: string;
  conceptsTop?: number;
}

export function explainCommand(): Command {
  const cmd = new Command('explain')
    .description(
      'Explain a saved model with LRP: heatmaps (PNG) and relevance (.npy) for image files or for dataset images.',
    )
    .argument(
      '[model]',
      'model folder (e.g. runs/<timestamp>/models/net1, or a GraphModel folder from tfjs-converter) or its model.json',
    )
    .option('--model <dir>', 'the model folder or model.json (instead of the argument)')
    .option(
      '--output <node>',
      'GraphModels: graph node to explain (default: the output before a final softmax/sigmoid)',
    )
    .option('--input-range <lo,hi>', 'GraphModels: model input for pixel values 0 and 1', '0,1')
    .option(
      '--images <files...>',
      'image files (JPEG, PNG, …; a 250×250 LFW frame gets the dataset crop) or .npy pixel arrays',
    )
    .option(
      '--indices <list>',
      'dataset images by index in the split, e.g. 0-7 (default when no --images)',
      (v: string) => {
        try {
          return parseIndexList(v);
        } catch (err) {
          throw new InvalidArgumentError(`--indices: ${(err as Error).message}.`);
        }
      },
    )
    .addOption(new Option('--split <which>', 'split the indices refer to').choices(['test', 'train']).default('test'))
    .option(
      '--target <class>',
      "class to explain: 'predicted', 'true' (dataset images), a class index or a name (e.g. 'Colin Powell' or " +
        "'Powell'); default: true class for dataset images, predicted for files",
    );
  cmd
    .option(
      '--concepts <layer>',
      "also show each image's top concepts at this layer: share, conditional heatmap, reference crops (from the run's atlas, see 'lrpjs concepts')",
    )
    .option('--concepts-top <n>', 'concepts per image', parseInteger('concepts-top', 1), 4);
  addCompositeOptions(cmd);
  addSharedOptions(cmd, ['backend', 'data', 'out']);
  return cmd.action(async (positional: string | undefined, opts: ExplainOptions) => {
    const modelArg = positional ?? opts.model;
    if (modelArg === undefined) {
      throw new UsageError(
        "missing required argument 'model'",
        'pass the model folder as the argument or with --model DIR',
      );
    }
    if (positional !== undefined && opts.model !== undefined) {
      throw new UsageError('the model is given twice (argument and --model)', 'give it once');
    }
    const { runExplain } = await import('../explain-saved-model');
    await runExplain(resolveUserPath(modelArg), {
      ...opts,
      images: opts.images?.map(resolveUserPath),
      out: outputDir(opts.out, '-explain'),
    });
  });
}
