import { Command, Option } from 'commander';
import { NET_NAMES, type NetName } from '../net-names';
import { outputDir, resolveUserPath } from '../paths';
import { addSharedOptions, parseInteger, parseNumber, type SharedOptions } from '../shared-options';

interface TrainOptions extends SharedOptions {
  net: NetName;
  vgg16Weights?: string;
  headC: number;
  maxImages?: number;
}

export function trainCommand(): Command {
  const cmd = new Command('train')
    .description(
      "Train one network with the tutorial's recipe (net1/net2: SGD, lr 0.005, momentum 0.9, batches of 25; " +
        'net3/net4: pretrained backbone + logistic regression) and write a run folder with the model, metrics.json, ' +
        'curves, confusion matrix and report.html.',
    )
    .addOption(new Option('--net <name>', 'network to train').choices([...NET_NAMES]).default('net1'))
    .option('--vgg16-weights <path>', 'Keras VGG-16 "notop" HDF5 weights (net3)')
    .option(
      '--head-c <C>',
      "inverse L2 strength of net3/net4's logistic regression",
      parseNumber('head-c', { positive: true }),
      1,
    )
    .option(
      '--max-images <n>',
      'use only the first n images of each split (quick checks, CI)',
      parseInteger('max-images', 25),
    );
  addSharedOptions(cmd);
  return cmd.action(async (opts: TrainOptions) => {
    const { runTutorial } = await import('../tutorial');
    await runTutorial({
      backend: opts.backend,
      dataHome: opts.dataHome,
      variant: opts.variant,
      download: opts.download,
      seed: opts.seed,
      iterations: opts.iterations,
      out: outputDir(opts.out, `-${opts.net}`),
      nets: [opts.net],
      vgg16Weights: opts.vgg16Weights ? resolveUserPath(opts.vgg16Weights) : undefined,
      headC: opts.headC,
      explainIndices: [],
      composite: { name: 'tutorial' },
      galleryCount: 0,
      galleryColumns: 8,
      requireNets: true,
      maxImages: opts.maxImages,
    });
  });
}
