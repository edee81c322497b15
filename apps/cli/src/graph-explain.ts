/**
 * `lrpjs explain` on a GraphModel folder (tfjs-converter output: model.json with format
 * "graph-model" and its weight shards), e.g. a TF Hub or SavedModel conversion, with photos.
 */
import { encodeNpy, loadImageFiles } from '@lrpjs/data';
import type { RunWriter } from '@lrpjs/run/node';
import fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { CliError, UsageError } from './errors';
import { makeComposite, type CompositeSettings } from './explain-arrays';
import { formatSeconds, type Progress } from './progress';
import { displayCell, heatmapsRowPng, imagesRowPng } from './render';

/** Whether a model.json holds a GraphModel (format "graph-model"). */
export function isGraphModelJson(file: string): boolean {
  try {
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { format?: string }).format === 'graph-model';
  } catch {
    return false; // the layers path reports unreadable files
  }
}

/** `--input-range lo,hi`: the model's input for pixel values 0 and 1. */
export function parseInputRange(text: string): [number, number] {
  const parts = text.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 2 || !parts.every(Number.isFinite) || !(parts[0] < parts[1])) {
    throw new UsageError(`--input-range '${text}' is not 'lo,hi' with lo < hi`, 'pass e.g. 0,1 or 0,255 or -1,1');
  }
  return [parts[0], parts[1]];
}

export interface GraphExplainOptions {
  images?: string[];
  indices?: number[];
  target?: string;
  /** Graph node to explain (default: the output, skipping a final softmax/sigmoid). */
  output?: string;
  inputRange?: string;
  out: string;
}

/** `openFolder` creates the output folder: called once everything is computed. */
export async function explainGraphModelInto(
  openFolder: () => RunWriter,
  modelFile: string,
  opts: GraphExplainOptions,
  settings: CompositeSettings,
  backendName: string,
  progress: Progress,
): Promise<void> {
  if (!opts.images?.length || opts.indices) {
    throw new UsageError(
      `${modelFile} is a GraphModel, which has no dataset classes`,
      'explain photos with --images a.jpg b.jpg (dataset --indices need a model trained by lrpjs)',
    );
  }
  const { fileSystemHandler } = await import('@lrpjs/models/node');
  const lrp = await import('@lrpjs/lrp');
  let model: tf.GraphModel;
  try {
    model = await tf.loadGraphModel(fileSystemHandler(modelFile));
  } catch (err) {
    throw new CliError(`cannot load the GraphModel in ${modelFile}: ${(err as Error).message}`);
  }
  try {
    const shape = model.inputs[0]?.shape ?? [];
    const [h, w, c] = shape.slice(1);
    if (model.inputs.length !== 1 || shape.length !== 4 || h !== w || c !== 3 || !(h > 0)) {
      throw new CliError(
        `the GraphModel takes ${model.inputs.map((i) => `[${i.shape}]`).join(', ')}`,
        'lrpjs explains GraphModels with one square RGB image input [N, S, S, 3]',
      );
    }
    const [lo, hi] = parseInputRange(opts.inputRange ?? '0,1');
    const { pixels, shape: batch, names } = await loadImageFiles(opts.images, h);
    const input = Float32Array.from(pixels, (p) => lo + p * (hi - lo));
    const target =
      opts.target === undefined || opts.target === 'predicted' ? ('predicted' as const) : Number(opts.target);
    if (target !== 'predicted' && !(Number.isInteger(target) && target >= 0)) {
      throw new UsageError(`--target '${opts.target}' for a GraphModel`, "pass 'predicted' or a class index");
    }
    // 'auto' asks the registry; z^B bounds default to the input range.
    const name = settings.name === 'auto' ? lrp.recommendedComposite(model).name : settings.name;
    const withBounds = name === 'tutorial' || name === 'epsilon-gamma-box';
    const resolved: CompositeSettings = {
      ...settings,
      name,
      ...(withBounds ? { lowest: settings.lowest ?? lo, highest: settings.highest ?? hi } : {}),
    };
    const composite = await makeComposite(resolved);
    const stage = progress.stage('explain', 1);
    const start = performance.now();
    const x = tf.tensor4d(input, batch);
    let relevance: Float32Array;
    let logits: Float32Array;
    let targets: number[];
    let k: number;
    try {
      const r = lrp.explain(model, x, { target, composite, output: opts.output });
      try {
        relevance = (await r.relevance.data()) as Float32Array;
        logits = (await r.output.data()) as Float32Array;
        k = r.output.shape[1];
        targets = Array.from(r.targets);
      } finally {
        tf.dispose([r.relevance, r.output]);
      }
    } catch (err) {
      throw new CliError((err as Error).message);
    } finally {
      x.dispose();
    }
    const seconds = (performance.now() - start) / 1000;
    stage.finish(`${batch[0]} image${batch[0] === 1 ? '' : 's'}`);
    const one = batch[1] * batch[2] * batch[3];
    const rows = names.map((input, n) => {
      let sum = 0;
      for (let i = n * one; i < (n + 1) * one; i++) sum += relevance[i];
      return { input, target: targets[n], logit: logits[n * k + targets[n]], relevanceSum: sum };
    });
    const cell = displayCell([h]);
    const folder = openFolder();
    try {
      folder.write(
        'images.png',
        imagesRowPng(
          pixels,
          batch,
          names.map((n) => n.replace(/\.[^.]+$/, '')),
          cell,
        ),
      );
      const { png, limit } = heatmapsRowPng(relevance, batch, cell);
      folder.write('heatmaps.png', png);
      for (let n = 0; n < batch[0]; n++) {
        folder.write(
          `heatmap-${n}.png`,
          heatmapsRowPng(relevance.subarray(n * one, (n + 1) * one), [1, batch[1], batch[2], batch[3]], cell).png,
        );
      }
      folder.write('relevance.npy', encodeNpy(relevance, batch));
      folder.writeJson('explain.json', {
        model: modelFile,
        format: 'graph-model',
        output: opts.output ?? null,
        inputRange: [lo, hi],
        composite: resolved,
        backend: backendName,
        heatmapLimit: limit,
        seconds,
        relevanceShape: batch,
        inputs: rows,
      });
      folder.commit();
    } finally {
      folder.discard(); // no-op once committed
    }
    const out = (line: string) => process.stdout.write(line + '\n');
    out(`${modelFile} (GraphModel), composite ${name}, ${formatSeconds(seconds)}`);
    for (const r of rows) {
      // Precision, not decimals: z⁺ on MobileNets keeps ~1e-6 of the logit (see @lrpjs/lrp's README).
      out(
        `${r.input}: explained output ${r.target} (logit ${r.logit.toFixed(2)}, ΣR ${r.relevanceSum.toPrecision(3)}, ` +
          `ΣR/f(x) ${(r.relevanceSum / r.logit).toPrecision(3)})`,
      );
    }
    out(`wrote images.png, heatmaps.png, heatmap-*.png, relevance.npy, explain.json to ${opts.out}`);
  } finally {
    lrp.disposeCache(model);
    model.dispose();
  }
}
