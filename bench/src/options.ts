import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { STAGES, type StageId } from './stages';

export type JsBackend = 'tensorflow' | 'wasm' | 'cpu';
const JS_BACKENDS: readonly JsBackend[] = ['tensorflow', 'wasm', 'cpu'];
const VARIANTS = ['funneled', 'deepfunneled', 'original'] as const;

/** Repetitions per stage family (each after one warm-up run). */
export interface Reps {
  load: number;
  vgg: number;
  lrp: number;
}

/** Everything a run needs, resolved (paths absolute). */
export interface BenchSettings {
  /** Data home holding `lfw_home/<variant folder>`. Default: @lrpjs/data's (env LRPJS_DATA_HOME, else ~/.lrpjs). */
  dataHome?: string;
  variant: (typeof VARIANTS)[number];
  /** min_faces_per_person. Default 40 (the tutorial's). */
  minFaces: number;
  /** nbit of the tutorial's train(): nbit + 1 SGD steps. Default 2500, quick 100. */
  iterations: number;
  quick: boolean;
  backends: JsBackend[];
  skipPytorch: boolean;
  /** Threads for both sides: wasm's thread pool and torch.set_num_threads. Default: the cores Node may use. */
  threads: number;
  reps: Reps;
  /** Training images run through VGG-17, both sides; 0 = all (934). Default all, quick 256. */
  vggImages: number;
  /** Images per VGG forward pass on both sides. Default 64. */
  vggBatch: number;
  /** Test images explained per LRP call. Default 8 (the tutorial's). */
  lrpImages: number;
  /**
   * Seconds a stage may take on one backend (all repetitions). Projected from a one-example probe;
   * over it, repetitions are dropped, then the stage is skipped. Default 1200, quick 120.
   */
  stageBudget: number;
  /** The same cap for the `cpu` backend (plain JavaScript, 10–100× slower). Default 120, quick 60. */
  cpuBudget: number;
  stages: StageId[];
  /**
   * After each stage, one more repetition under `tf.profile` (training: 20 steps on one batch), whose
   * time per kernel and share outside convolution go into the results and are printed under the table.
   */
  profile: boolean;
  seed: number;
  python: string;
  out: string;
}

export const USAGE = `pnpm bench [-- options]   (or: pnpm --filter @lrpjs/bench start -- options)

  --data-home DIR     holds lfw_home/<variant folder>/ (default: env LRPJS_DATA_HOME, else ~/.lrpjs)
  --variant V         funneled | deepfunneled | original (default funneled)
  --iterations N      tutorial train() nbit, N+1 steps (default 2500; --quick: 100)
  --quick             minutes instead of a quarter hour: 100 iterations, 256 VGG images, fewer repetitions
  --backends LIST     tfjs backends, comma-separated (default tensorflow,wasm,cpu; missing ones are reported)
  --skip-pytorch      lrpjs only
  --threads N         threads for wasm and PyTorch (default: cores available to Node)
  --reps N            timed repetitions of every stage but training (default 3 load/VGG, 5 LRP; --quick 1/1/3)
  --stage-budget S    seconds per stage and backend before it is cut or skipped (default 1200; --quick 120)
  --cpu-budget S      the same for the cpu backend (default 120; --quick 60)
  --profile           also profile every tfjs stage: time per kernel, share that is not convolution
  --stages LIST       subset of ${STAGES.join(',')}
  --vgg-images N      training images through VGG-17 (default all; --quick 256)
  --vgg-batch N       images per VGG forward pass, both sides (default 64)
  --lrp-images N      images per LRP call (default 8)
  --min-faces N       min_faces_per_person (default 40)
  --seed N            weights and batch sampling (default 0)
  --python PATH       interpreter with torch, torchvision, sklearn (default env LRPJS_PYTHON, else /usr/bin/python3)
  --out FILE          JSON results (default bench-results.json in the directory pnpm was started from)
`;

function int(name: string, raw: string | undefined, fallback: number, min = 0): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min) throw new Error(`--${name} must be an integer ≥ ${min}, got '${raw}'.`);
  return v;
}

function list<T extends string>(
  name: string,
  raw: string | undefined,
  allowed: readonly T[],
  fallback: readonly T[],
): T[] {
  if (raw === undefined) return [...fallback];
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) {
    if (!allowed.includes(item as T))
      throw new Error(`--${name}: unknown '${item}'; use any of ${allowed.join(', ')}.`);
  }
  return items as T[];
}

/** Cores this process may use (cgroup/affinity aware where Node knows it). */
export function usableCores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/**
 * Parses the command line. Relative paths are taken from the directory the user started pnpm in
 * (`INIT_CWD`): pnpm runs the script in bench/, which is not where the user typed them.
 */
export function parseBenchArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchSettings | 'help' {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--'),
    strict: true,
    options: {
      'data-home': { type: 'string' },
      variant: { type: 'string' },
      iterations: { type: 'string' },
      quick: { type: 'boolean' },
      backends: { type: 'string' },
      'skip-pytorch': { type: 'boolean' },
      threads: { type: 'string' },
      reps: { type: 'string' },
      'stage-budget': { type: 'string' },
      'cpu-budget': { type: 'string' },
      stages: { type: 'string' },
      profile: { type: 'boolean' },
      'vgg-images': { type: 'string' },
      'vgg-batch': { type: 'string' },
      'lrp-images': { type: 'string' },
      'min-faces': { type: 'string' },
      seed: { type: 'string' },
      python: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const base = env.INIT_CWD ?? process.cwd();
  const quick = values.quick ?? false;
  const variant = (values.variant ?? 'funneled') as BenchSettings['variant'];
  if (!VARIANTS.includes(variant))
    throw new Error(`--variant must be one of ${VARIANTS.join(', ')}, got '${values.variant}'.`);
  const reps = values.reps === undefined ? undefined : int('reps', values.reps, 1, 1);
  return {
    dataHome: values['data-home'] === undefined ? undefined : path.resolve(base, values['data-home']),
    variant,
    minFaces: int('min-faces', values['min-faces'], 40, 1),
    iterations: int('iterations', values.iterations, quick ? 100 : 2500, 0),
    quick,
    backends: list('backends', values.backends, JS_BACKENDS, JS_BACKENDS),
    skipPytorch: values['skip-pytorch'] ?? false,
    threads: int('threads', values.threads, usableCores(), 1),
    reps:
      reps !== undefined
        ? { load: reps, vgg: reps, lrp: reps }
        : quick
          ? { load: 1, vgg: 1, lrp: 3 }
          : { load: 3, vgg: 3, lrp: 5 },
    vggImages: int('vgg-images', values['vgg-images'], quick ? 256 : 0, 0),
    vggBatch: int('vgg-batch', values['vgg-batch'], 64, 1),
    lrpImages: int('lrp-images', values['lrp-images'], 8, 1),
    stageBudget: int('stage-budget', values['stage-budget'], quick ? 120 : 1200, 1),
    cpuBudget: int('cpu-budget', values['cpu-budget'], quick ? 60 : 120, 1),
    stages: list('stages', values.stages, STAGES, STAGES),
    profile: values.profile ?? false,
    seed: int('seed', values.seed, 0, 0),
    python: values.python ?? env.LRPJS_PYTHON ?? '/usr/bin/python3',
    out: path.resolve(base, values.out ?? 'bench-results.json'),
  };
}
