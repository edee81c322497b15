/** `lrpjs explain`: LRP heatmaps of a saved model for image files or dataset images. */
import { encodeNpy, loadImageFiles, type LfwDataset } from '@lrpjs/data';
import { checkRunTarget, RunWriter } from '@lrpjs/run/node';
import { CliError, UsageError } from './errors';
import { explainInputs } from './explain-arrays';
import { checkCompositeParameters, compositeSettings, type CompositeSettings } from './net-names';
import { formatSeconds, Progress } from './progress';
import { displayCell, heatmapsRowPng, imagesRowPng, pick, shortName } from './render';
import { checkClasses, loadSavedModel, modelInputSize, modelJsonPath, normalizeFor } from './saved-model';
import fs from 'node:fs';
import type { SharedOptions } from './shared-options';

export interface ExplainCommandOptions extends Pick<SharedOptions, 'backend' | 'dataHome' | 'variant' | 'download'> {
  /** Absolute paths. */
  images?: string[];
  indices?: number[];
  split: 'test' | 'train';
  /** 'predicted' | 'true' | class index | class name; default true class for dataset images, else predicted. */
  target?: string;
  composite: string;
  gamma?: number;
  epsilon?: number;
  lowest?: number;
  highest?: number;
  /** Absolute output folder (new). */
  out: string;
  /** GraphModels: the node to explain. */
  output?: string;
  /** GraphModels: the input for pixel values 0 and 1, 'lo,hi' (default 0,1). */
  inputRange?: string;
  /** Layer whose top concepts to show per image (Concept Relevance Propagation). */
  concepts?: string;
  conceptsTop?: number;
}

/**
 * The class a `--target` names: an index, a full name (any case) or a unique last name.
 * Returns undefined for 'predicted'.
 */
export function resolveTargetClass(target: string, classNames: readonly string[]): number | 'predicted' | 'true' {
  const t = target.trim();
  if (t === 'predicted' || t === 'true') return t;
  if (/^\d+$/.test(t)) {
    const k = Number(t);
    if (k >= classNames.length) {
      throw new UsageError(
        `--target ${k} is not a class of this model`,
        `pass 0..${classNames.length - 1}, a name, 'true' or 'predicted'`,
      );
    }
    return k;
  }
  const lower = t.toLowerCase();
  const full = classNames.findIndex((n) => n.toLowerCase() === lower);
  if (full >= 0) return full;
  const byLast = classNames.map((n, i) => [shortName(n).toLowerCase(), i] as const).filter(([last]) => last === lower);
  if (byLast.length === 1) return byLast[0][1];
  if (byLast.length > 1) {
    throw new UsageError(
      `--target '${t}' matches ${byLast.map(([, i]) => classNames[i]).join(' and ')}`,
      'give the full name',
    );
  }
  throw new UsageError(
    `--target '${t}' is not a class of this model`,
    `use 'predicted', 'true', 0..${classNames.length - 1} or one of: ${classNames.join(', ')}`,
  );
}

export async function runExplain(modelFile: string, opts: ExplainCommandOptions): Promise<void> {
  const composite = compositeSettings(opts);
  checkCompositeParameters(composite);
  if (opts.images && opts.indices)
    throw new UsageError('--images and --indices exclude each other', 'explain either image files or dataset images');
  if (opts.target === 'true' && opts.images) {
    throw new UsageError(
      '--target true needs dataset images (their labels)',
      'use --indices, or --target predicted / a class name for image files',
    );
  }

  modelJsonPath(modelFile); // cheap checks before the slow parts
  for (const f of opts.images ?? [])
    if (!fs.existsSync(f)) throw new CliError(`image file ${f} does not exist`, 'check the path');
  checkRunTarget(opts.out); // fails now, not after the work, when --out is taken; creates nothing
  await explainInto(modelFile, opts, composite);
}

async function explainInto(
  modelFile: string,
  opts: ExplainCommandOptions,
  composite: CompositeSettings,
): Promise<void> {
  const { initBackend } = await import('./backend');
  const progress = new Progress();
  const backend = await initBackend(opts.backend);
  progress.log(`backend: ${backend.detail}`);
  const { explainGraphModelInto, isGraphModelJson } = await import('./graph-explain');
  if (isGraphModelJson(modelJsonPath(modelFile))) {
    const open = () => RunWriter.start(opts.out, { command: `lrpjs explain ${modelFile}` });
    await explainGraphModelInto(open, modelJsonPath(modelFile), opts, composite, backend.name, progress);
    return;
  }
  const loaded = await loadSavedModel(modelFile);
  try {
    const size = modelInputSize(loaded);
    const classNames = loaded.metadata.classNames;
    const requested = opts.target === undefined ? undefined : resolveTargetClass(opts.target, classNames);

    let pixels: Float32Array;
    let shape: [number, number, number, number];
    let names: string[];
    let trueTargets: number[] | undefined;
    if (opts.images) {
      // @lrpjs/data's errors already read `problem — fix`: shown as the one-line failure they are.
      ({ pixels, shape, names } = await loadImageFiles(opts.images, size).catch((err: Error) => {
        throw new CliError(err.message);
      }));
    } else {
      const { loadTutorialDataset } = await import('./dataset');
      const data = await loadTutorialDataset(
        { dataHome: opts.dataHome, variant: opts.variant, download: opts.download, size },
        progress,
      );
      checkClasses(loaded, data.all, loaded.file);
      const ds: LfwDataset = data[opts.split];
      const indices = opts.indices ?? [0, 1, 2, 3, 4, 5, 6, 7].filter((i) => i < ds.shape[0]);
      const bad = indices.find((i) => i >= ds.shape[0]);
      if (bad !== undefined) {
        throw new CliError(
          `${opts.split} image ${bad} does not exist (the ${opts.split} split has ${ds.shape[0]} images)`,
          `pass --indices below ${ds.shape[0]}`,
        );
      }
      ({ pixels, shape } = pick(ds, indices));
      names = indices.map((i) => `${opts.split} #${i}`);
      trueTargets = indices.map((i) => ds.targets[i]);
    }

    const target: number[] | 'predicted' =
      requested === undefined
        ? (trueTargets ?? 'predicted')
        : requested === 'true'
          ? (trueTargets as number[])
          : requested === 'predicted'
            ? 'predicted'
            : new Array<number>(shape[0]).fill(requested);

    const stage = progress.stage('explain', 1);
    const expl = await explainInputs(loaded.model, normalizeFor(loaded, pixels), shape, target, composite);
    stage.finish(`${shape[0]} image${shape[0] === 1 ? '' : 's'}`);

    const k = expl.numClasses;
    const rows = names.map((name, n) => {
      const logits = expl.logits.subarray(n * k, (n + 1) * k);
      const predicted = argMax(logits);
      const probs = softmax(logits);
      const size3 = shape[1] * shape[2] * shape[3];
      let rsum = 0;
      for (let i = n * size3; i < (n + 1) * size3; i++) rsum += expl.relevance[i];
      return {
        input: name,
        trueClass: trueTargets ? classNames[trueTargets[n]] : undefined,
        predicted: classNames[predicted],
        probability: probs[predicted],
        target: classNames[expl.targets[n]],
        targetIndex: expl.targets[n],
        targetLogit: logits[expl.targets[n]],
        relevanceSum: rsum,
      };
    });

    // Everything is computed: only now is the output folder created (and removed again on any failure).
    const folder = RunWriter.start(opts.out, { command: `lrpjs explain ${modelFile}` });
    try {
      const cell = displayCell([size]);
      const labels = trueTargets
        ? trueTargets.map((t) => shortName(classNames[t]))
        : names.map((n) => n.replace(/\.[^.]+$/, ''));
      folder.write('images.png', imagesRowPng(pixels, shape, labels, cell));
      const { png, limit } = heatmapsRowPng(expl.relevance, expl.shape, cell);
      folder.write('heatmaps.png', png);
      const one = shape[1] * shape[2] * shape[3];
      for (let n = 0; n < shape[0]; n++) {
        // each map alone, with its own symmetric limit
        folder.write(
          `heatmap-${n}.png`,
          heatmapsRowPng(expl.relevance.subarray(n * one, (n + 1) * one), [1, shape[1], shape[2], shape[3]], cell).png,
        );
      }
      folder.write('relevance.npy', encodeNpy(expl.relevance, expl.shape));
      folder.writeJson('explain.json', {
        model: loaded.file,
        architecture: loaded.metadata.architecture,
        classNames,
        composite,
        backend: backend.name,
        heatmapLimit: limit,
        seconds: expl.seconds,
        relevanceShape: expl.shape,
        inputs: rows,
      });
      if (opts.concepts) {
        const { writeExplainConcepts } = await import('./commands/explain-concepts');
        const perImage = await writeExplainConcepts(
          folder,
          {
            ...opts,
            loaded,
            composite,
            pixels,
            shape,
            target,
            names,
            layer: opts.concepts,
            top: opts.conceptsTop ?? 4,
          },
          progress,
        );
        progress.log(`concepts: ${(1000 * perImage).toFixed(0)} ms per image`);
      }
      folder.commit();
    } finally {
      folder.discard(); // no-op once committed
    }

    const out = (line: string) => process.stdout.write(line + '\n');
    out(
      `${loaded.file} (${loaded.metadata.architecture}), composite ${composite.name}, ${formatSeconds(expl.seconds)}`,
    );
    for (const r of rows) {
      out(
        `${r.input}: ${r.trueClass ? `true ${r.trueClass}, ` : ''}predicted ${r.predicted} (p=${r.probability.toFixed(2)}), ` +
          `explained ${r.target} (logit ${r.targetLogit.toFixed(2)}, ΣR ${r.relevanceSum.toFixed(2)})`,
      );
    }
    out(`wrote images.png, heatmaps.png, heatmap-*.png, relevance.npy, explain.json to ${opts.out}`);
  } finally {
    loaded.model.dispose();
  }
}

function argMax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
}

function softmax(v: ArrayLike<number>): number[] {
  const max = Math.max(...Array.from(v));
  const e = Array.from(v, (x) => Math.exp(x - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}
