import { Command, InvalidArgumentError, Option } from 'commander';
import { parseIndexList } from '../indices';
import { COMPOSITE_CATALOG } from '@lrpjs/lrp/catalog';
import { checkCompositeParameters, COMPOSITE_NAMES, compositeSettings, NET_NAMES, type NetName } from '../net-names';
import { outputDir, resolveUserPath } from '../paths';
import { addSharedOptions, parseInteger, parseNumber, type SharedOptions } from '../shared-options';

export interface RunOptions extends SharedOptions {
  nets: NetName[];
  vgg16Weights?: string;
  headC: number;
  explain: number[];
  composite: string;
  gamma?: number;
  epsilon?: number;
  lowest?: number;
  highest?: number;
  gallery: number;
  maxImages?: number;
  evaluate: number;
  evaluateMethods: string;
  evaluateSteps: number;
  parallelTraining: boolean;
}

/** The methods `run` evaluates for the report (the cheap ones; `evaluate-explanations` runs them all). */
export const RUN_EVALUATION_METHODS = 'lrp:epsilon-plus,lrp:epsilon-gamma-box,gradient,inputXGradient,gradcam,random';

export function parseNetList(value: string): NetName[] {
  const nets = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = nets.find((n) => !(NET_NAMES as readonly string[]).includes(n));
  if (bad !== undefined || nets.length === 0) {
    throw new InvalidArgumentError(`--nets takes a comma-separated list of ${NET_NAMES.join(', ')}, got '${value}'.`);
  }
  return [...new Set(nets)] as NetName[];
}

export function parseIndices(flag: string) {
  return (value: string): number[] => {
    try {
      return parseIndexList(value);
    } catch (err) {
      throw new InvalidArgumentError(`--${flag}: ${(err as Error).message}.`);
    }
  };
}

/** --composite and its parameters, shared by `run` and `explain`. */
export function addCompositeOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        '--composite <name>',
        `LRP composite (rules per layer): auto = the one @lrpjs/lrp recommends per net; ${COMPOSITE_CATALOG.map(
          (c) => `${c.name} = ${c.label}`,
        ).join('; ')}`,
      )
        .choices([...COMPOSITE_NAMES])
        .default('auto'),
    )
    .option(
      '--gamma <g>',
      'LRP-γ strength on the lower layers (default 0.25)',
      parseNumber('gamma', { nonNegative: true }),
    )
    .option(
      '--epsilon <e>',
      'stabilizer added to denominators (default 1e-9)',
      parseNumber('epsilon', { nonNegative: true }),
    )
    .option(
      '--lowest <l>',
      'lowest input value for the z^B rule on the first layer (default -1.5)',
      parseNumber('lowest'),
    )
    .option(
      '--highest <h>',
      'highest input value for the z^B rule on the first layer (default 1.5)',
      parseNumber('highest'),
    );
}

export function runCommand(): Command {
  const cmd = new Command('run')
    .description(
      'Run the whole tutorial: load LFW, train net1 and net2, build net3 (VGG-16, when its weights can be had) and ' +
        'net4 (face backbone), evaluate them, explain test images with LRP and write a run folder with report.html.',
    )
    .option('--nets <list>', `networks to run, comma-separated (${NET_NAMES.join(', ')})`, parseNetList, [...NET_NAMES])
    .option('--vgg16-weights <path>', 'Keras VGG-16 "notop" HDF5 weights for net3 (default: cached in the data home)')
    .option(
      '--head-c <C>',
      "inverse L2 strength of net3/net4's logistic regression (scikit-learn's C)",
      parseNumber('head-c', { positive: true }),
      1,
    )
    .option(
      '--explain <indices>',
      'test images to explain with every net, e.g. 0-7 or 0,3,5',
      parseIndices('explain'),
      [0, 1, 2, 3, 4, 5, 6, 7],
    )
    .option('--gallery <n>', 'test images in the gallery atlases for the web app', parseInteger('gallery', 0), 48)
    .option(
      '--max-images <n>',
      'use only the first n images of each split (quick checks, CI)',
      parseInteger('max-images', 25),
    )
    .option(
      '--evaluate <n>',
      'test images per net for the report\'s "Which explanation is faithful?" section (evaluate-explanations; 0: skip)',
      parseInteger('evaluate', 0),
      32,
    )
    .option(
      '--evaluate-methods <list>',
      'methods evaluated for the report (evaluate-explanations --methods)',
      RUN_EVALUATION_METHODS,
    )
    .option('--evaluate-steps <n>', 'pixel-flipping steps of that evaluation', parseInteger('evaluate-steps', 1), 8)
    .option(
      '--no-parallel-training',
      'train net1 and net2 one after the other with every core, not side by side in two worker threads',
    );
  addCompositeOptions(cmd);
  addSharedOptions(cmd);
  return cmd.action(async (opts: RunOptions) => {
    const composite = compositeSettings(opts);
    checkCompositeParameters(composite);
    if (opts.evaluate > 0) {
      // checked now, not after hours of training
      const { parseMethods } = await import('../faithfulness');
      await parseMethods(opts.evaluateMethods, '--evaluate-methods');
    }
    const { runTutorial } = await import('../tutorial');
    await runTutorial({
      backend: opts.backend,
      dataHome: opts.dataHome,
      variant: opts.variant,
      download: opts.download,
      seed: opts.seed,
      iterations: opts.iterations,
      out: outputDir(opts.out),
      nets: opts.nets,
      vgg16Weights: opts.vgg16Weights ? resolveUserPath(opts.vgg16Weights) : undefined,
      headC: opts.headC,
      explainIndices: opts.explain,
      composite,
      galleryCount: opts.gallery,
      galleryColumns: 8,
      maxImages: opts.maxImages,
      evaluation: { images: opts.evaluate, methods: opts.evaluateMethods, steps: opts.evaluateSteps },
      parallelTraining: opts.parallelTraining,
    });
  });
}
