import { Command, InvalidArgumentError, Option } from 'commander';
import { defaultDataHome, resolveUserPath } from './paths';

export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export type VariantChoice = 'funneled' | 'deepfunneled' | 'original';

/** Flags every subcommand may take (each command picks the ones that mean something to it). */
export interface SharedOptions {
  /** Default 'auto': tfjs-node, then wasm, then cpu. */
  backend: BackendChoice;
  /** Absolute; default env LRPJS_DATA_HOME, else ~/.lrpjs. */
  dataHome: string;
  /** Default 'funneled', as scikit-learn. */
  variant: VariantChoice;
  /** Default 0. */
  seed: number;
  /** SGD iterations per network; default 2500 as the tutorial. */
  iterations: number;
  /** Output folder (resolved by the command; default runs/<timestamp>/). */
  out?: string;
  /** false with --no-download: fail instead of downloading a missing LFW. */
  download: boolean;
  verbose: boolean;
}

export type SharedFlag = 'backend' | 'data' | 'seed' | 'iterations' | 'out';

/** A commander parser for integers >= min. */
export function parseInteger(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in ${min}..${max}`;
      throw new InvalidArgumentError(`--${name} takes an integer ${range}, got '${value}'.`);
    }
    return n;
  };
}

/** A commander parser for finite numbers (optionally > 0). */
export function parseNumber(name: string, opts: { positive?: boolean; nonNegative?: boolean } = {}) {
  return (value: string): number => {
    const n = Number(value);
    const ok = value.trim() !== '' && Number.isFinite(n) && (!opts.positive || n > 0) && (!opts.nonNegative || n >= 0);
    if (!ok) {
      const what = opts.positive ? 'a number > 0' : opts.nonNegative ? 'a number >= 0' : 'a number';
      throw new InvalidArgumentError(`--${name} takes ${what}, got '${value}'.`);
    }
    return n;
  };
}

/** Adds the shared flags named in `which` (default: all) plus --verbose. */
export function addSharedOptions(
  cmd: Command,
  which: readonly SharedFlag[] = ['backend', 'data', 'seed', 'iterations', 'out'],
): Command {
  if (which.includes('backend')) {
    cmd.addOption(
      new Option('--backend <name>', 'tfjs backend: auto picks tfjs-node, then wasm, then cpu')
        .choices(['auto', 'tensorflow', 'wasm', 'cpu'])
        .default('auto'),
    );
  }
  if (which.includes('data')) {
    cmd
      .addOption(
        new Option('--data-home <dir>', 'folder holding lfw_home/')
          .env('LRPJS_DATA_HOME')
          .default(defaultDataHome(), '$LRPJS_DATA_HOME or ~/.lrpjs')
          .argParser((v: string) => resolveUserPath(v)),
      )
      .addOption(
        new Option('--variant <name>', 'LFW variant: lfw_funneled, lfw_deepfunneled or lfw (original)')
          .choices(['funneled', 'deepfunneled', 'original'])
          .default('funneled'),
      )
      .option('--no-download', 'fail instead of downloading LFW when it is missing');
  }
  if (which.includes('seed')) {
    cmd.option('--seed <n>', 'random seed (initialization, batches, dropout)', parseInteger('seed', 0), 0);
  }
  if (which.includes('iterations')) {
    cmd.option('--iterations <n>', 'SGD iterations per network', parseInteger('iterations', 1), 2500);
  }
  if (which.includes('out')) {
    cmd.option('--out <dir>', 'output folder (default: runs/<timestamp>/ in the current directory)');
  }
  cmd.option('--verbose', 'show stack traces and more detail', false);
  return cmd;
}
