import { Command, InvalidArgumentError, Option } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { CliError } from '../errors';
import { resolveUserPath } from '../paths';
import { parseInteger, type BackendChoice, type VariantChoice } from '../shared-options';

interface EvaluateExplanationsOptions {
  run: string;
  nets?: string;
  methods?: string;
  images: number;
  steps: number;
  patch: string;
  replacement: string;
  batchSize: number;
  sanityImages: number;
  sanityCheckpoints: number;
  seed: number;
  backend: BackendChoice;
  dataHome?: string;
  variant?: VariantChoice;
  verbose: boolean;
}

const REPLACEMENTS = ['mean', 'blur', 'uniform', 'inpaint'];

export function evaluateExplanationsCommand(): Command {
  return new Command('evaluate-explanations')
    .description(
      "Which explanation is faithful? Measures LRP composites and attribution baselines on a run's nets by pixel " +
        'flipping (MoRF/LeRF curves, AUC, AOPC, SRG) and the cascading randomization check; writes ' +
        'faithfulness/ (JSON, SVG curves, PNG) into the run folder and adds the section to report.html.',
    )
    .requiredOption('--run <dir>', 'a finished run folder (runs/<timestamp>)')
    .option('--nets <list>', "nets to evaluate, comma-separated (default: every net of the run's metrics.json)")
    .option(
      '--methods <list>',
      'comma-separated: lrp:<composite> (tutorial, epsilon-plus, epsilon-gamma-box, …), gradient, inputXGradient, ' +
        'smoothgrad, ig, gradcam, occlusion, random (default: lrp:tutorial,lrp:epsilon-plus,lrp:epsilon-gamma-box ' +
        'and every baseline)',
    )
    .option('--images <n>', 'first n test images (933 = all)', parseInteger('images', 1), 100)
    .option('--steps <n>', 'pixel-flipping steps', parseInteger('steps', 1), 100)
    .option('--patch <px>', "region side in pixels, or 'auto' (input size / 16: 4 for 64×64, 9 for 150×150)", 'auto')
    .addOption(new Option('--replacement <how>', 'what replaces a region').choices(REPLACEMENTS).default('mean'))
    .option(
      '--batch-size <n>',
      'rows per forward pass at 64×64 pixels (larger inputs get proportionally fewer: 46 at 150×150)',
      parseInteger('batch-size', 1),
      256,
    )
    .option(
      '--sanity-images <n>',
      'images for the randomization check (0: skip it)',
      parseInteger('sanity-images', 0),
      4,
    )
    .option(
      '--sanity-checkpoints <n>',
      'heatmaps compared after at most n randomization steps',
      parseInteger('sanity-checkpoints', 1),
      6,
    )
    .option('--seed <n>', 'seed of tie-breaks and noise', parseInteger('seed', 0), 0)
    .addOption(
      new Option('--backend <name>', 'tfjs backend: auto picks tfjs-node, then wasm, then cpu')
        .choices(['auto', 'tensorflow', 'wasm', 'cpu'])
        .default('auto'),
    )
    .option('--data-home <dir>', 'folder holding lfw_home/ (default: the one the run used)')
    .addOption(
      new Option('--variant <name>', 'LFW variant (default: the one the run used)').choices([
        'funneled',
        'deepfunneled',
        'original',
      ]),
    )
    .option('--verbose', 'show stack traces', false)
    .action(async (opts: EvaluateExplanationsOptions) => {
      const dir = resolveUserPath(opts.run);
      if (!fs.existsSync(path.join(dir, 'metrics.json'))) {
        throw new CliError(`${dir} is not a finished run folder (no metrics.json)`, 'give the folder a run wrote');
      }
      const patch = opts.patch === 'auto' ? 'auto' : Number(opts.patch);
      if (patch !== 'auto' && !(Number.isInteger(patch) && patch >= 1)) {
        throw new InvalidArgumentError(`--patch takes an integer ≥ 1 or 'auto', got '${opts.patch}'.`);
      }
      const { runEvaluateExplanations } = await import('../evaluate-explanations');
      await runEvaluateExplanations(dir, { ...opts, patch, dataHome: opts.dataHome && resolveUserPath(opts.dataHome) });
    });
}
