/**
 * The whole tutorial as one pipeline: data → nets → accuracies → LRP heatmaps → run folder.
 * `lrpjs run` runs all of it; `lrpjs train` the same without the pictures of explanations.
 */
import type { LfwDataset } from '@lrpjs/data';
import { RUN_FORMAT_VERSION } from '@lrpjs/run';
import { checkRunTarget, RunWriter } from '@lrpjs/run/node';
import * as tf from '@tensorflow/tfjs';
import os from 'node:os';
import { initBackend } from './backend';
import { CliError } from './errors';
import { loadTutorialDataset } from './dataset';
import { explainInputs, type CompositeSettings } from './explain-arrays';
import { onInterrupt } from './interrupt';
import { cliVersion, type NetMetrics, type RunMetrics } from './metrics';
import {
  NET_INPUT_SIZE,
  NET_NAMES,
  NetUnavailable,
  prepareNet,
  type NetName,
  type PreparedNet,
  type TrainSettings,
} from './nets';
import { formatSeconds, Progress } from './progress';
import { parallelNets, trainInThreads, type ThreadedTraining } from './train-threads';
import {
  atlasPng,
  confusionSvg,
  curvesSvg,
  displayCell,
  heatmapsRowPng,
  imagesRowPng,
  pick,
  shortName,
} from './render';
import { writeReport } from './report';
import type { BackendChoice, VariantChoice } from './shared-options';

export interface TutorialOptions {
  backend: BackendChoice;
  dataHome: string;
  variant: VariantChoice;
  download: boolean;
  seed: number;
  iterations: number;
  /** Absolute output folder. */
  out: string;
  nets: NetName[];
  vgg16Weights?: string;
  headC: number;
  /** Test images explained with every net (the tutorial: 0..7). Empty: no heatmaps. */
  explainIndices: number[];
  composite: CompositeSettings;
  /** Test images in the gallery atlases for the web app (0: no gallery). */
  galleryCount: number;
  /** Tiles per row of the gallery atlases. */
  galleryColumns: number;
  /** Keep only the first n images of each split (quick checks); undefined: all. */
  maxImages?: number;
  /** A net that cannot be had fails the run (train) instead of being skipped (run). Default false. */
  requireNets?: boolean;
  /**
   * The report's "Which explanation is faithful?" section: `evaluate-explanations` on the first `images`
   * test images of each net with these methods and pixel-flipping steps. Undefined or images 0: skipped.
   */
  evaluation?: { images: number; methods: string; steps: number };
  /**
   * Train net1 and net2 side by side in worker threads when both are asked for (see train-threads.ts).
   * Default true.
   */
  parallelTraining?: boolean;
}

export interface TutorialResult {
  dir: string;
  metrics: RunMetrics;
  seconds: number;
}

const out = (line: string) => process.stdout.write(line + '\n');

export async function runTutorial(opts: TutorialOptions): Promise<TutorialResult> {
  // Fails now, before any work, when --out holds a finished run or a live one; nothing is created yet.
  checkRunTarget(opts.out);
  let folder: RunWriter | undefined;
  const progress = new Progress();
  const open = (): RunWriter => {
    folder = RunWriter.start(opts.out, {
      command: `lrpjs ${process.argv.slice(2).join(' ')}`.trim(),
      onNotice: (line) => progress.log(line),
    });
    return folder;
  };
  // Ctrl-C: the training loop yields to the event loop, so this runs within a step.
  const forget = onInterrupt(() => folder?.discard());
  try {
    return await runInto(open, progress, opts);
  } catch (err) {
    // A failed run leaves nothing behind.
    folder?.discard();
    throw err;
  } finally {
    forget();
  }
}

type Sets = Record<number, { train: LfwDataset; test: LfwDataset }>;
type Gallery = NonNullable<ReturnType<typeof writeGallery>>;
type Timed = <T>(key: string, fn: () => Promise<T> | T) => Promise<T>;

/** What every step of a run shares. */
interface Run {
  folder: RunWriter;
  opts: TutorialOptions;
  progress: Progress;
  /** Runs a step and records its seconds under `key` in metrics.json. */
  timed: Timed;
  seconds: Record<string, number>;
}

/** `open` creates the run folder: called once the inputs (data, indices) are known to be good. */
async function runInto(open: () => RunWriter, progress: Progress, opts: TutorialOptions): Promise<TutorialResult> {
  const t0 = performance.now();
  const seconds: Record<string, number> = {};
  const timed: Timed = async (key, fn) => {
    const start = performance.now();
    try {
      return await fn();
    } finally {
      seconds[key] = round((performance.now() - start) / 1000, 2);
    }
  };
  const backend = await timed('backend', () => initBackend(opts.backend));
  progress.log(`backend: ${backend.detail}`);

  const { sets, classNames } = await loadSets({ opts, progress, timed });
  checkExplainIndices(opts.explainIndices, sets[64].test.shape[0]);
  const folder = open();
  progress.log(`writing to ${folder.workDir} (renamed to ${folder.finalDir} when complete)`);
  const run: Run = { folder, opts, progress, timed, seconds };
  const cell = displayCell([...new Set(opts.nets.map((n) => NET_INPUT_SIZE[n]))]);
  writeExplainedImages(run, sets[64].test, classNames, cell);
  const gallery = writeGallery(run, sets, classNames);
  const metrics = newRunMetrics(run, backend, classNames, gallery?.count ?? 0);

  const threaded = opts.parallelTraining === false ? [] : parallelNets(opts.nets, backend.name);
  const training = threaded.length
    ? trainInThreads(threaded, sets[64], trainSettings(opts), opts.backend, progress)
    : undefined;
  try {
    await trainAndRecord(run, training, sets, classNames, cell, gallery, metrics);
  } finally {
    await training?.close();
  }

  writeCurvesAndGallery(folder, metrics, gallery);
  seconds.total = round((performance.now() - t0) / 1000, 2);
  folder.writeJson('metrics.json', metrics);
  if (opts.evaluation && opts.evaluation.images > 0 && Object.keys(metrics.nets).length > 0) {
    await timed('evaluate explanations', () => evaluateExplanations(run, sets, backend.detail, opts.evaluation!));
  }
  await timed('report', () => writeReport(folder.workDir, metrics));
  seconds.total = round((performance.now() - t0) / 1000, 2);
  folder.writeJson('metrics.json', metrics); // with the report's seconds
  const dir = folder.commit();
  printSummary(opts.nets, metrics, dir, seconds.total);
  return { dir, metrics, seconds: seconds.total };
}

/** Every net in turn: trained here, or awaited from its training thread; then recorded into the run folder. */
async function trainAndRecord(
  run: Run,
  training: ThreadedTraining | undefined,
  sets: Sets,
  classNames: string[],
  cell: number,
  gallery: Gallery | undefined,
  metrics: RunMetrics,
): Promise<void> {
  const { opts, timed, seconds } = run;
  for (const name of opts.nets) {
    const size = NET_INPUT_SIZE[name];
    const inThread = training?.results.get(name as 'net1' | 'net2');
    let net: PreparedNet;
    try {
      if (inThread) {
        net = await inThread;
        // The thread's own training time: the wall time of this await overlaps the other net's.
        seconds[`train ${name}`] = round(net.trainSeconds, 2);
      } else net = await timed(`train ${name}`, () => prepareNet(name, sets[size], trainSettings(opts), run.progress));
    } catch (err) {
      if (!(err instanceof NetUnavailable)) throw err;
      if (opts.requireNets) throw new CliError(`${name} cannot be built: ${err.message}`);
      metrics.skipped[name] = err.message;
      out(`${name}: skipped — ${err.message}`);
      continue;
    }
    try {
      metrics.nets[name] = await recordNet(run, net, sets[size], classNames, cell, gallery);
    } finally {
      net.model.dispose();
    }
  }
}

/**
 * `evaluate-explanations` on the run being written (its saved models, the test splits in memory): a small
 * subset with a few methods and steps, so the report shows the faithfulness section at little cost.
 */
async function evaluateExplanations(
  run: Run,
  sets: Sets,
  backendDetail: string,
  e: NonNullable<TutorialOptions['evaluation']>,
): Promise<void> {
  const { runEvaluateExplanations } = await import('./evaluate-explanations');
  await runEvaluateExplanations(
    run.folder.workDir,
    {
      methods: e.methods,
      images: e.images,
      steps: e.steps,
      patch: 'auto',
      replacement: 'mean',
      batchSize: 256,
      // two images, two checkpoints: the sanity plot at a small cost
      sanityImages: 2,
      sanityCheckpoints: 2,
      seed: run.opts.seed,
      backend: run.opts.backend,
      dataHome: run.opts.dataHome,
      variant: run.opts.variant,
    },
    {
      testSets: new Map(Object.entries(sets).map(([size, s]) => [Number(size), s.test])),
      progress: run.progress,
      backendDetail,
      report: false,
    },
  );
}

/** The tutorial's splits at 64×64, and at 150×150 when a net needs it (the face backbone). */
async function loadSets({
  opts,
  progress,
  timed,
}: Pick<Run, 'opts' | 'progress' | 'timed'>): Promise<{ sets: Sets; classNames: string[] }> {
  const request = { dataHome: opts.dataHome, variant: opts.variant, download: opts.download };
  const d64 = await timed('load data', () => loadTutorialDataset({ ...request, size: 64 }, progress));
  const classNames = d64.all.targetNames;
  out(`Number of examples: ${d64.all.shape[0]}`);
  out(`Number of classes: ${classNames.length}`);
  out(`train ${d64.train.shape.join('×')}, test ${d64.test.shape.join('×')}`);
  if (opts.maxImages !== undefined) out(`using the first ${opts.maxImages} images of each split (--max-images)`);
  // Only the splits are kept: the full arrays (0.5 GB at 150×150) can be collected.
  const sets: Sets = { 64: limit(d64, opts.maxImages) };
  if (opts.nets.some((n) => NET_INPUT_SIZE[n] === 150)) {
    sets[150] = limit(
      await timed('load data 150', () => loadTutorialDataset({ ...request, size: 150 }, progress)),
      opts.maxImages,
    );
  }
  return { sets, classNames };
}

function checkExplainIndices(indices: number[], nTest: number): void {
  for (const i of indices) {
    if (i >= nTest)
      throw new CliError(
        `test image ${i} does not exist (the test set has ${nTest} images)`,
        `pass --explain indices below ${nTest}`,
      );
  }
}

/** The tutorial's images(0): the explained test images with the person's last name. */
function writeExplainedImages({ folder, opts }: Run, test: LfwDataset, classNames: string[], cell: number): void {
  if (!opts.explainIndices.length) return;
  const labels = opts.explainIndices.map((i) => shortName(classNames[test.targets[i]]));
  const { pixels, shape } = pick(test, opts.explainIndices);
  folder.write('images.png', imagesRowPng(pixels, shape, labels, cell));
}

/** Gallery atlases: the web app cuts model inputs back out of them. Undefined without a gallery. */
function writeGallery({ folder, opts }: Run, sets: Sets, classNames: string[]) {
  const count = Math.min(opts.galleryCount, sets[64].test.shape[0]);
  if (count <= 0) return undefined;
  const gallery = {
    version: RUN_FORMAT_VERSION,
    count,
    tile: {} as Record<string, string>,
    columns: opts.galleryColumns,
    testIndices: range(count),
    targets: Array.from(sets[64].test.targets.subarray(0, count)),
    classNames,
    predictions: {} as Record<string, number[]>,
  };
  for (const [size, set] of Object.entries(sets)) {
    const file = `images-${size}.png`;
    folder.write(`gallery/${file}`, atlasPng(set.test, count, opts.galleryColumns));
    gallery.tile[size] = file;
  }
  return gallery;
}

/** metrics.json before any net: versions, settings, the seconds record (filled as the run goes). */
function newRunMetrics(
  { opts, seconds }: Run,
  backend: { name: string; detail: string },
  classNames: string[],
  galleryCount: number,
): RunMetrics {
  return {
    version: RUN_FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    backend: backend.name,
    versions: { lrpjs: cliVersion(), tfjs: tf.version.tfjs, node: process.version },
    settings: {
      dataHome: opts.dataHome,
      variant: opts.variant,
      seed: opts.seed,
      iterations: opts.iterations,
      nets: opts.nets,
      explainIndices: opts.explainIndices,
      explainTarget: 'true class',
      composite: opts.composite,
      headC: opts.headC,
      vgg16Weights: opts.vgg16Weights ?? null,
      galleryCount,
      maxImages: opts.maxImages ?? null,
      backendDetail: backend.detail,
      host: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${os.platform()} ${os.arch()}`,
    },
    seconds,
    classNames,
    nets: {},
    skipped: {},
  };
}

function trainSettings(opts: TutorialOptions): TrainSettings {
  return {
    iterations: opts.iterations,
    seed: opts.seed,
    dataHome: opts.dataHome,
    download: opts.download,
    vgg16Weights: opts.vgg16Weights,
    headC: opts.headC,
  };
}

/** A trained net into the run folder: its model, confusion matrix, gallery predictions and heatmaps. */
async function recordNet(
  run: Run,
  net: PreparedNet,
  set: { train: LfwDataset; test: LfwDataset },
  classNames: string[],
  cell: number,
  gallery: Gallery | undefined,
): Promise<NetMetrics> {
  const { folder, opts } = run;
  const { name, inputSize: size } = net;
  const { train, test } = net.evaluation;
  out(
    `${name}: train ${train.accuracy.toFixed(3)}  test ${test.accuracy.toFixed(3)}  (${formatSeconds(net.trainSeconds)})`,
  );
  const modelPath = `models/${name}`;
  await saveNet(run, net, modelPath, classNames);
  const entry: NetMetrics = {
    description: net.description,
    inputSize: size,
    trainAccuracy: train.accuracy,
    testAccuracy: test.accuracy,
    curve: net.curve,
    perClassAccuracy: test.perClass.map((v) => (Number.isFinite(v) ? v : 0)),
    confusion: test.confusion,
    modelPath,
    trainSeconds: round(net.trainSeconds, 2),
  };
  folder.write(`confusion-${name}.svg`, confusionSvg(name, test.confusion, classNames));
  if (gallery) gallery.predictions[name] = Array.from(net.predictedTest.subarray(0, gallery.count));
  if (opts.explainIndices.length) entry.heatmap = await explainNet(run, net, set.test, cell);
  return entry;
}

async function saveNet({ folder, opts, timed }: Run, net: PreparedNet, modelPath: string, classNames: string[]) {
  const { saveModel } = await import('@lrpjs/models/node');
  const { TUTORIAL_INPUT_NORMALIZATION } = await import('@lrpjs/models');
  const { train, test } = net.evaluation;
  await timed(`save ${net.name}`, () =>
    saveModel(net.model, folder.path(`${modelPath}/model.json`), {
      architecture: net.architecture,
      classNames,
      inputShape: [net.inputSize, net.inputSize, 3],
      normalization: { ...TUTORIAL_INPUT_NORMALIZATION },
      training: net.training,
      metrics: { trainAccuracy: train.accuracy, testAccuracy: test.accuracy },
      dataset: { name: 'lfw-people', variant: opts.variant, minFacesPerPerson: 40, split: 'tutorial [::2]/[1::2]' },
      description: net.description,
    }),
  );
}

/** LRP of the explained test images for their true class: relevance (.npy) and a row of heatmaps (.png). */
async function explainNet(
  { folder, opts, progress, timed }: Run,
  net: PreparedNet,
  test: LfwDataset,
  cell: number,
): Promise<NetMetrics['heatmap']> {
  const picked = pick(test, opts.explainIndices);
  const { normalizeTutorial, encodeNpy } = await import('@lrpjs/data');
  const targets = opts.explainIndices.map((i) => test.targets[i]);
  const stage = progress.stage(`explain ${net.name}`, 1);
  const expl = await timed(`explain ${net.name}`, () =>
    explainInputs(net.model, normalizeTutorial(picked.pixels), picked.shape, targets, opts.composite),
  );
  stage.finish(`${opts.explainIndices.length} images`);
  const relevanceFile = `relevance-${net.name}.npy`;
  folder.write(relevanceFile, encodeNpy(expl.relevance, expl.shape));
  const { png, limit } = heatmapsRowPng(expl.relevance, expl.shape, cell);
  const file = `heatmaps-${net.name}.png`;
  folder.write(file, png);
  return { testIndices: opts.explainIndices, targets, limit, file, relevanceFile };
}

function writeCurvesAndGallery(folder: RunWriter, metrics: RunMetrics, gallery: Gallery | undefined): void {
  const curves = Object.fromEntries(
    Object.entries(metrics.nets)
      .filter(([, n]) => n.curve.length > 0)
      .map(([k, n]) => [k, n.curve]),
  );
  if (Object.keys(curves).length) folder.write('curves.svg', curvesSvg(curves));
  if (gallery) folder.writeJson('gallery/gallery.json', gallery);
}

function printSummary(nets: NetName[], metrics: RunMetrics, dir: string, totalSeconds: number): void {
  out('');
  out('net    train   test');
  for (const name of nets) {
    const m = metrics.nets[name];
    out(
      m
        ? `${name.padEnd(5)}  ${m.trainAccuracy.toFixed(3)}  ${m.testAccuracy.toFixed(3)}`
        : `${name.padEnd(5)}  skipped`,
    );
  }
  out(`run folder: ${dir}`);
  out(`report: ${dir}/report.html`);
  out(`total ${formatSeconds(totalSeconds)}`);
}

/** The first n images of each split. */
function limit(
  d: { train: LfwDataset; test: LfwDataset },
  n: number | undefined,
): { train: LfwDataset; test: LfwDataset } {
  if (n === undefined) return { train: d.train, test: d.test };
  const head = (ds: LfwDataset): LfwDataset => {
    const [total, h, w, c] = ds.shape;
    const m = Math.min(n, total);
    return {
      ...ds,
      images: ds.images.subarray(0, m * h * w * c),
      shape: [m, h, w, c],
      targets: ds.targets.subarray(0, m),
      filePaths: ds.filePaths.slice(0, m),
    };
  };
  return { train: head(d.train), test: head(d.test) };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export { NET_NAMES };
