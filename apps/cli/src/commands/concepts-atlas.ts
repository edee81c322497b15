/**
 * `lrpjs concepts`: the reference atlas of Concept Relevance Propagation. One batched pass over the
 * dataset collects, for every channel of the chosen layers, the samples of highest relevance (RelMax)
 * and activation (ActMax); each gets a crop: where the single neuron at the channel's peak is relevant.
 * The pass checkpoints to disk under a checksum of model, data and settings, so it resumes after an
 * interruption and is skipped when nothing changed.
 */
import type { LfwDataset } from '@lrpjs/data';
import type { Box, ReferenceSample, ReferenceTable } from '@lrpjs/lrp';
import { composeGrid, createImage, encodePng, imageToRgba, type RgbaImage } from '@lrpjs/viz';
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CliError, UsageError } from '../errors';
import { makeComposite, resolveComposite, type CompositeSettings } from '../explain-arrays';
import { formatSeconds, Progress } from '../progress';
import { checkClasses, loadSavedModel, modelInputSize, normalizeFor } from '../saved-model';
import type { SharedOptions } from '../shared-options';

export interface ConceptsOptions extends Pick<SharedOptions, 'backend' | 'dataHome' | 'variant' | 'download'> {
  /** Absolute run folder. */
  run: string;
  net: string;
  layers: string[];
  top: number;
  batch?: number;
  target: 'true' | 'predicted';
  maxImages?: number;
  composite: CompositeSettings;
  /** Test images whose concepts go into the report (at the first layer). Default 0–3. */
  examples?: number[];
}

/** A reference sample with its crop (input pixels) and the cell's receptive-field box. */
export interface AtlasSample extends ReferenceSample {
  box: Box;
}

export interface AtlasLayer {
  layer: string;
  shape: [number, number, number];
  relevance: AtlasSample[][];
  activation: AtlasSample[][];
  /** Sprites of crops: one row per channel, `top` columns. */
  sprites: { relevance: string; activation: string };
}

/** `concepts/<net>/atlas.json` (its schema: `conceptAtlasSchema` of @lrpjs/run, checked before writing). */
export interface Atlas {
  version: 1;
  net: string;
  model: string;
  composite: CompositeSettings;
  target: 'true' | 'predicted';
  top: number;
  /** Samples: indices into the whole dataset (all images, tutorial order) of this size. */
  samples: number;
  inputSize: number;
  cropSize: number;
  checksum: string;
  seconds: { pass: number; crops: number; total: number; perImage: number };
  layers: AtlasLayer[];
}

interface State {
  checksum: string;
  table: ReferenceTable;
  seconds: number;
}

export const CROP_SIZE = 48;

export function atlasDir(run: string, net: string): string {
  return path.join(run, 'concepts', net);
}

/** Reads a built atlas, or undefined when there is none. */
export function readAtlas(run: string, net: string): Atlas | undefined {
  const file = path.join(atlasDir(run, net), 'atlas.json');
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Atlas;
}

function writeAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

function checksumOf(parts: (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex').slice(0, 16);
}

/** The pixels of image `i` of a dataset in [0, 1], cut to `box` and resized (nearest) to `size`. */
export function cropTile(ds: LfwDataset, i: number, box: Box, size: number): RgbaImage {
  const [, h, w, c] = ds.shape;
  const image = imageToRgba(ds.images.subarray(i * h * w * c, (i + 1) * h * w * c), [h, w, c]);
  const out = createImage(size, size, [255, 255, 255, 255]);
  const bh = box.y1 - box.y0;
  const bw = box.x1 - box.x0;
  for (let y = 0; y < size; y++) {
    const sy = box.y0 + Math.min(bh - 1, Math.floor(((y + 0.5) * bh) / size));
    for (let x = 0; x < size; x++) {
      const sx = box.x0 + Math.min(bw - 1, Math.floor(((x + 0.5) * bw) / size));
      const s = (sy * image.width + sx) * 4;
      out.data.set(image.data.subarray(s, s + 4), (y * size + x) * 4);
    }
  }
  return out;
}

function distinctNeurons(l: ReferenceTable['layers'][number]): number {
  const keys = new Set<string>();
  for (const lists of [l.relevance, l.activation]) {
    lists.forEach((list, c) => list.forEach((s) => keys.add(`${s.sample}/${c}/${s.cell}`)));
  }
  return keys.size;
}

export async function runConcepts(opts: ConceptsOptions): Promise<Atlas> {
  const modelDir = path.join(opts.run, 'models', opts.net);
  if (!fs.existsSync(path.join(modelDir, 'model.json'))) {
    const have = fs.existsSync(path.join(opts.run, 'models'))
      ? fs.readdirSync(path.join(opts.run, 'models')).join(', ')
      : 'none';
    throw new CliError(
      `run folder ${opts.run} has no model ${opts.net} (models: ${have})`,
      'pass --run <a run folder> and one of its nets',
    );
  }
  const { initBackend } = await import('../backend');
  const lrp = await import('@lrpjs/lrp');
  const progress = new Progress();
  const start = performance.now();
  const backend = await initBackend(opts.backend);
  progress.log(`backend: ${backend.detail}`);
  const loaded = await loadSavedModel(modelDir);
  try {
    const model = loaded.model;
    const layerNames = model.layers.map((l) => l.name);
    for (const layer of opts.layers) {
      if (!layerNames.includes(layer)) {
        throw new UsageError(`${opts.net} has no layer '${layer}'`, `layers of ${opts.net}: ${layerNames.join(', ')}`);
      }
    }
    const size = modelInputSize(loaded);
    const { loadTutorialDataset } = await import('../dataset');
    const data = await loadTutorialDataset(
      { dataHome: opts.dataHome, variant: opts.variant, download: opts.download, size },
      progress,
    );
    checkClasses(loaded, data.all, loaded.file);
    const ds = data.all;
    const total = Math.min(ds.shape[0], opts.maxImages ?? Infinity);
    const settings = resolveComposite(opts.composite, model);
    const composite = await makeComposite(settings);
    const batch = opts.batch ?? (size > 64 ? 16 : 64);

    const dir = atlasDir(opts.run, opts.net);
    fs.mkdirSync(dir, { recursive: true });
    const stateFile = path.join(dir, 'state.json');
    const checksum = checksumOf([
      fs.readFileSync(path.join(modelDir, 'model.json')),
      ...fs
        .readdirSync(modelDir)
        .filter((f) => f.endsWith('.bin'))
        .sort()
        .map((f) => fs.readFileSync(path.join(modelDir, f))),
      new Uint8Array(ds.images.buffer, ds.images.byteOffset, total * ds.shape[1] * ds.shape[2] * ds.shape[3] * 4),
      JSON.stringify({ layers: opts.layers, top: opts.top, settings, target: opts.target, total }),
    ]);
    let state: State = { checksum, table: { top: opts.top, seen: 0, layers: [] }, seconds: 0 };
    if (fs.existsSync(stateFile)) {
      const saved = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as State;
      if (saved.checksum === checksum) {
        state = saved;
        if (saved.table.seen < total) progress.log(`resuming at image ${saved.table.seen} of ${total}`);
      } else {
        progress.log('model, data or settings changed since the last pass: starting afresh');
      }
    }
    const collector = new lrp.ReferenceCollector(opts.top, state.table);
    const normalized = normalizeFor(loaded, ds.images.subarray(0, total * size * size * 3));
    const targetsOf = (a: number, b: number): number[] | 'predicted' =>
      opts.target === 'true' ? Array.from(ds.targets.subarray(a, b)) : 'predicted';

    // the pass: one explanation per batch, statistics of every channel of every chosen layer
    const done0 = state.table.seen;
    if (done0 < total) {
      const stage = progress.stage(`relevance and activation of ${opts.layers.join(', ')}`, total);
      stage.update(done0);
      let lastSave = performance.now();
      for (let a = done0; a < total; a += batch) {
        const b = Math.min(total, a + batch);
        const x = tf.tensor4d(normalized.subarray(a * size * size * 3, b * size * size * 3), [b - a, size, size, 3]);
        try {
          const stats = lrp.conceptStatistics(model, x, { target: targetsOf(a, b), layers: opts.layers, composite });
          collector.add(stats, a);
        } finally {
          x.dispose();
        }
        stage.update(b);
        if (performance.now() - lastSave > 5000 || b === total) {
          state.seconds += (performance.now() - lastSave) / 1000;
          lastSave = performance.now();
          writeAtomic(stateFile, JSON.stringify({ ...state, table: collector.table }));
        }
      }
      stage.finish(`${total - done0} images`);
    }
    // summed over resumed passes
    const passSeconds = state.seconds;

    // crops: the relevance of each reference neuron (channel at its peak cell) on its sample
    const cropStart = performance.now();
    const layers: AtlasLayer[] = [];
    const table = collector.table;
    const cropStage = progress.stage(
      'reference crops',
      table.layers.reduce((s, l) => s + distinctNeurons(l), 0),
    );
    let cropped = 0;
    for (const ref of opts.layers.map((name) => table.layers.find((l) => l.layer === name)!)) {
      // one neuron heatmap per distinct (sample, channel, cell): RelMax and ActMax often share them
      const key = (s: ReferenceSample, c: number) => `${s.sample}/${c}/${s.cell}`;
      const wanted = new Map<string, { sample: number; channel: number; cell: number }>();
      for (const lists of [ref.relevance, ref.activation]) {
        lists.forEach((l, c) =>
          l.forEach((s) => wanted.set(key(s, c), { sample: s.sample, channel: c, cell: s.cell })),
        );
      }
      const found = new Map<string, Box>();
      const jobs = [...wanted.entries()];
      const step = Math.max(4, Math.floor(batch / 2));
      for (let a = 0; a < jobs.length; a += step) {
        const part = jobs.slice(a, a + step);
        const one = size * size * 3;
        const px = new Float32Array(part.length * one);
        part.forEach(([, s], k) => px.set(normalized.subarray(s.sample * one, (s.sample + 1) * one), k * one));
        const x = tf.tensor4d(px, [part.length, size, size, 3]);
        try {
          const maps = lrp.neuronHeatmaps(model, x, {
            layer: ref.layer,
            channels: part.map(([, s]) => s.channel),
            cells: part.map(([, s]) => s.cell),
            composite,
          });
          part.forEach(([k], j) =>
            found.set(
              k,
              lrp.relevanceBox(maps.subarray(j * size * size, (j + 1) * size * size), size, size, {
                minSize: Math.max(8, Math.round(size / 8)),
              }),
            ),
          );
        } finally {
          x.dispose();
        }
        cropped += part.length;
        cropStage.update(cropped);
      }
      const boxes = async (lists: ReferenceSample[][]): Promise<AtlasSample[][]> =>
        lists.map((l, c) => l.map((s) => ({ ...s, box: found.get(key(s, c))! })));
      const relevance = await boxes(ref.relevance);
      const activation = await boxes(ref.activation);
      const sprite = (lists: AtlasSample[][]) =>
        encodePng(
          composeGrid(
            lists.flatMap((l) =>
              Array.from({ length: opts.top }, (_, j) =>
                l[j]
                  ? cropTile(ds, l[j].sample, l[j].box, CROP_SIZE)
                  : createImage(CROP_SIZE, CROP_SIZE, [255, 255, 255, 255]),
              ),
            ),
            { columns: opts.top, padding: 0 },
          ),
        );
      const sprites = { relevance: `${ref.layer}-relmax.png`, activation: `${ref.layer}-actmax.png` };
      writeAtomic(path.join(dir, sprites.relevance), sprite(relevance));
      writeAtomic(path.join(dir, sprites.activation), sprite(activation));
      layers.push({ layer: ref.layer, shape: ref.shape, relevance, activation, sprites });
    }
    cropStage.finish();
    const cropSeconds = (performance.now() - cropStart) / 1000;
    const atlas: Atlas = {
      version: 1,
      net: opts.net,
      model: path.relative(opts.run, modelDir),
      composite: settings,
      target: opts.target,
      top: opts.top,
      samples: total,
      inputSize: size,
      cropSize: CROP_SIZE,
      checksum,
      seconds: {
        pass: passSeconds,
        crops: cropSeconds,
        total: (performance.now() - start) / 1000,
        perImage: passSeconds / total,
      },
      layers,
    };
    // Checked against the run-folder schema the web app reads it with, so a writer bug fails here, not there.
    const { readConceptAtlas } = await import('@lrpjs/run');
    readConceptAtlas(atlas, path.join(dir, 'atlas.json'));
    writeAtomic(path.join(dir, 'atlas.json'), JSON.stringify(atlas));

    // examples for the run's report: test images, their top concepts at the first layer
    const indices = (opts.examples ?? [0, 1, 2, 3]).filter((i) => i < data.test.shape[0]);
    if (indices.length) {
      const { pick, shortName } = await import('../render');
      const { conceptExamples } = await import('./concept-examples');
      const { pixels, shape } = pick(data.test, indices);
      const { examples, figures, seconds } = await conceptExamples({
        model,
        composite,
        normalized: normalizeFor(loaded, pixels),
        pixels,
        shape,
        targets: indices.map((i) => data.test.targets[i]),
        labels: indices.map((i) => `test #${i} ${shortName(ds.targetNames[data.test.targets[i]])}`),
        layer: layers[0].layer,
        top: 4,
        atlas: layers[0],
        dataset: ds,
        prefix: 'example',
        classNames: ds.targetNames,
      });
      for (const [file, png] of figures) writeAtomic(path.join(dir, file), png);
      writeAtomic(
        path.join(dir, 'examples.json'),
        JSON.stringify({ net: opts.net, layer: layers[0].layer, secondsPerImage: seconds / indices.length, examples }),
      );
      progress.log(`concept examples: ${((1000 * seconds) / indices.length).toFixed(0)} ms per image`);
    }
    const out = (line: string) => process.stdout.write(line + '\n');
    out(
      `${opts.net}: reference atlas of ${layers.map((l) => `${l.layer} (${l.shape[2]} channels)`).join(', ')} over ` +
        `${total} images, top ${opts.top}: pass ${formatSeconds(passSeconds)} (${((1000 * passSeconds) / total).toFixed(1)} ms/image), ` +
        `crops ${formatSeconds(cropSeconds)}, total ${formatSeconds(atlas.seconds.total)}`,
    );
    out(`wrote ${dir}/atlas.json and crop sprites`);
    return atlas;
  } finally {
    loaded.model.dispose();
  }
}
