/** `lrpjs evaluate-explanations`: loads a run's nets and test images, evaluates, writes faithfulness/. */
import type { Replacement } from '@lrpjs/attribution';
import type { LfwDataset } from '@lrpjs/data';
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import path from 'node:path';
import { initBackend } from './backend';
import { loadTutorialDataset } from './dataset';
import { CliError, UsageError } from './errors';
import {
  DEFAULT_METHODS,
  evaluateNet,
  loadMethodModules,
  parseMethods,
  type EvaluationSettings,
  type NetEvaluation,
} from './faithfulness';
import { FAITHFULNESS_DIR, flippingSvg, methodsPng, sanitySvg, type FaithfulnessFile } from './faithfulness-report';
import { readMetrics } from './metrics';
import { orderNets, writeReport } from './report';
import { pick } from './render';
import { stringifyJson } from '@lrpjs/run/node';
import { loadSavedModel, normalizeFor } from './saved-model';
import { Progress } from './progress';
import type { BackendChoice, VariantChoice } from './shared-options';

export interface RunEvaluateExplanationsOptions {
  nets?: string;
  methods?: string;
  images: number;
  steps: number;
  patch: number | 'auto';
  replacement: string;
  batchSize: number;
  sanityImages: number;
  sanityCheckpoints: number;
  seed: number;
  backend: BackendChoice;
  dataHome?: string;
  variant?: VariantChoice;
}

/** What a caller that already holds the data and the backend (the tutorial's run) passes in. */
export interface EvaluateContext {
  /** Test splits by input size, already loaded (and limited). */
  testSets?: Map<number, LfwDataset>;
  progress?: Progress;
  /** Backend already chosen: its description (skips initBackend). */
  backendDetail?: string;
  /** Write report.html afterwards. Default true. */
  report?: boolean;
}

const out = (line: string) => process.stdout.write(line + '\n');

export async function runEvaluateExplanations(
  dir: string,
  opts: RunEvaluateExplanationsOptions,
  context: EvaluateContext = {},
): Promise<void> {
  const metrics = readMetrics(dir);
  const available = orderNets(Object.keys(metrics.nets));
  const nets = opts.nets
    ? opts.nets
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : available;
  const missing = nets.find((n) => !available.includes(n));
  if (missing !== undefined || nets.length === 0) {
    throw new UsageError(
      `--nets: the run has no net '${missing ?? opts.nets}'`,
      `this run has ${available.join(', ')}`,
    );
  }
  const methods = await parseMethods(opts.methods ?? DEFAULT_METHODS.join(','));
  const settings: EvaluationSettings = {
    methods,
    steps: opts.steps,
    patch: opts.patch,
    replacement: opts.replacement as Replacement,
    batchSize: opts.batchSize,
    sanityImages: opts.sanityImages,
    sanityCheckpoints: opts.sanityCheckpoints,
    seed: opts.seed,
  };
  const progress = context.progress ?? new Progress();
  let backendDetail = context.backendDetail;
  if (backendDetail === undefined) {
    backendDetail = (await initBackend(opts.backend)).detail;
    out(`backend: ${backendDetail}`);
  }
  await loadMethodModules();

  const request = {
    dataHome: opts.dataHome ?? metrics.settings.dataHome,
    variant: (opts.variant ?? metrics.settings.variant) as VariantChoice,
    download: false,
  };
  const sets = new Map<number, LfwDataset>(context.testSets ?? []);
  const results: Record<string, NetEvaluation> = {};
  const pictures: Record<string, { png: Uint8Array; flips: string; sanity?: string }> = {};
  for (const net of nets) {
    const entry = metrics.nets[net];
    const size = entry.inputSize;
    if (!sets.has(size)) sets.set(size, (await loadTutorialDataset({ ...request, size }, progress)).test);
    const test = sets.get(size)!;
    const n = Math.min(opts.images, test.shape[0]);
    const indices = Array.from({ length: n }, (_, i) => i);
    const labels = indices.map((i) => test.targets[i]);
    const loaded = await loadSavedModel(path.join(dir, entry.modelPath));
    const picked = pick(test, indices);
    const x = tf.tensor4d(normalizeFor(loaded, picked.pixels), picked.shape);
    const rowsTotal = methods.length * n * (opts.steps + 1) * 2;
    const stage = progress.stage(`evaluate ${net}`, rowsTotal);
    try {
      const { evaluation, examples } = await evaluateNet(net, loaded.model, x, labels, indices, settings, (done, d) =>
        stage.update(done, d),
      );
      const seconds = stage.finish(`${n} images × ${opts.steps} steps × ${methods.length} methods`);
      results[net] = evaluation;
      const [, h, w, c] = picked.shape;
      pictures[net] = {
        png: methodsPng(
          picked.pixels.subarray(0, h * w * c),
          [h, w, c],
          examples,
          // the PNG font is ASCII: method ids rather than labels with × and →
          evaluation.methods.map((m) => m.method),
        ),
        flips: flippingSvg(evaluation),
        sanity: sanitySvg(evaluation),
      };
      out(`${net}: ${n} images, ${seconds.toFixed(1)} s`);
      for (const m of evaluation.methods) {
        const pf = m.pixelFlipping;
        out(
          `  ${m.label.padEnd(34)} SRG ${pf.srg?.logit.toFixed(3).padStart(7)}  AOPC MoRF ${pf.morf?.aopcLogit.toFixed(3).padStart(7)}` +
            `  ${Math.round(m.imageStepsPerSecond)} image·steps/s`,
        );
      }
    } finally {
      x.dispose();
      loaded.model.dispose();
    }
  }
  writeResults(dir, results, backendDetail, pictures);
  if (context.report === false) {
    out(`wrote ${path.join(dir, FAITHFULNESS_DIR)}`);
    return;
  }
  const report = writeReport(dir);
  out(`wrote ${path.join(dir, FAITHFULNESS_DIR)} and ${report}`);
}

/**
 * Writes faithfulness/ atomically: a sibling `.partial` folder renamed over the old one; nets evaluated
 * before and not now are kept.
 */
function writeResults(
  dir: string,
  results: Record<string, NetEvaluation>,
  backend: string,
  pictures: Record<string, { png: Uint8Array; flips: string; sanity?: string }>,
): void {
  const target = path.join(dir, FAITHFULNESS_DIR);
  const partial = `${target}.partial`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial, { recursive: true });
  try {
    let previous: FaithfulnessFile | undefined;
    const old = path.join(target, 'faithfulness.json');
    if (fs.existsSync(old)) {
      try {
        previous = JSON.parse(fs.readFileSync(old, 'utf8')) as FaithfulnessFile;
      } catch {
        previous = undefined;
      }
      for (const f of fs.readdirSync(target)) {
        const net = /^(?:flipping|sanity|methods)-(.+)\.(?:svg|png)$/.exec(f)?.[1];
        if (net && !results[net]) fs.copyFileSync(path.join(target, f), path.join(partial, f));
      }
    }
    const file: FaithfulnessFile = {
      version: 1,
      createdAt: new Date().toISOString(),
      backend,
      nets: { ...(previous?.nets ?? {}), ...results },
    };
    fs.writeFileSync(path.join(partial, 'faithfulness.json'), stringifyJson(file));
    for (const [net, p] of Object.entries(pictures)) {
      fs.writeFileSync(path.join(partial, `methods-${net}.png`), p.png);
      fs.writeFileSync(path.join(partial, `flipping-${net}.svg`), p.flips);
      if (p.sanity) fs.writeFileSync(path.join(partial, `sanity-${net}.svg`), p.sanity);
    }
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(partial, target);
  } catch (err) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw new CliError(`cannot write ${target}: ${(err as Error).message}`, 'check the run folder is writable');
  }
}
