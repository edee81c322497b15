import { conceptAtlasFile, readConceptAtlas, readGalleryIndex, readRunMetrics, RUN_FILES } from '@lrpjs/run';
import type { RunSource } from './source';
import type { Atlas, LoadedConcepts, LoadedRun } from './types';

const text = new TextDecoder();

async function textOf(source: RunSource, path: string): Promise<string | undefined> {
  const bytes = await source.bytes(path);
  return bytes ? text.decode(bytes) : undefined;
}

/** Decodes a PNG to RGBA bytes exactly (no colour management: the atlas pixels are the model's input). */
export async function decodePngBytes(
  bytes: Uint8Array,
  what: string,
): Promise<{ width: number; height: number; rgba: Uint8ClampedArray; url: string }> {
  const blob = new Blob([bytes as BlobPart], { type: 'image/png' });
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch {
    throw new Error(`${what} is not a readable PNG; regenerate the run's gallery with the CLI.`);
  }
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('This browser cannot draw on an OffscreenCanvas; use a current Chromium or Firefox.');
  ctx.drawImage(bitmap, 0, 0);
  const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
  bitmap.close();
  return { width: canvas.width, height: canvas.height, rgba: data, url: URL.createObjectURL(blob) };
}

/** Reads metrics.json, gallery.json and the atlases; models are loaded later by the engine. */
export async function loadRun(source: RunSource): Promise<LoadedRun> {
  const metricsText = await textOf(source, RUN_FILES.metrics);
  if (metricsText === undefined) {
    throw new Error(`No metrics.json at ${source.label}; open a run folder written by the lrpjs CLI.`);
  }
  // Validated and migrated: errors name the file and field (`…/metrics.json: nets.net1.testAccuracy: expected number…`).
  const metrics = readRunMetrics(metricsText, `${source.label}/${RUN_FILES.metrics}`);
  const nets = Object.keys(metrics.nets).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const galleryText = await textOf(source, RUN_FILES.gallery);
  const gallery =
    galleryText === undefined ? undefined : readGalleryIndex(galleryText, `${source.label}/${RUN_FILES.gallery}`);
  const atlases: Record<number, Atlas> = {};
  if (gallery) {
    for (const [size, file] of Object.entries(gallery.tile)) {
      const bytes = await source.bytes(`gallery/${file}`);
      if (!bytes) continue;
      const img = await decodePngBytes(bytes, `gallery/${file}`);
      atlases[Number(size)] = { size: Number(size), ...img };
    }
  }
  const models: LoadedRun['models'] = {};
  for (const net of nets) models[net] = await source.modelSource(metrics.nets[net].modelPath);
  const figures: Record<string, string> = {};
  for (const name of ['curves.svg', ...nets.map((n) => `confusion-${n}.svg`)]) {
    const bytes = await source.bytes(name);
    if (bytes) figures[name] = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'image/svg+xml' }));
  }
  const concepts: Record<string, LoadedConcepts> = {};
  const conceptErrors: Record<string, string> = {};
  for (const net of nets) {
    const file = conceptAtlasFile(net);
    const atlasText = await textOf(source, file);
    if (atlasText === undefined) continue;
    let atlas: LoadedConcepts['atlas'];
    try {
      atlas = readConceptAtlas(atlasText, `${source.label}/${file}`);
    } catch (e) {
      // A broken atlas must not keep the run from opening: the concepts view says what is wrong.
      conceptErrors[net] = (e as Error).message;
      continue;
    }
    const dir = file.slice(0, file.lastIndexOf('/') + 1);
    const sprites: LoadedConcepts['sprites'] = {};
    for (const layer of atlas.layers) {
      sprites[layer.layer] = {};
      for (const kind of ['relevance', 'activation'] as const) {
        const bytes = await source.bytes(dir + layer.sprites[kind]);
        if (bytes)
          sprites[layer.layer][kind] = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'image/png' }));
      }
    }
    concepts[net] = { atlas, sprites };
  }
  return { label: source.label, metrics, gallery, atlases, models, nets, figures, concepts, conceptErrors };
}

/** Tile k of an atlas as model input pixels in [0, 1], H×W×3 channels-last. */
export function atlasTile(atlas: Atlas, columns: number, k: number): Float32Array {
  const s = atlas.size;
  const x0 = (k % columns) * s;
  const y0 = Math.floor(k / columns) * s;
  if (y0 + s > atlas.height || x0 + s > atlas.width) {
    throw new Error(
      `Gallery image ${k} lies outside the ${atlas.width}×${atlas.height} atlas; the gallery is inconsistent.`,
    );
  }
  const out = new Float32Array(s * s * 3);
  for (let y = 0; y < s; y++) {
    for (let x = 0; x < s; x++) {
      const p = ((y0 + y) * atlas.width + x0 + x) * 4;
      const q = (y * s + x) * 3;
      out[q] = atlas.rgba[p] / 255;
      out[q + 1] = atlas.rgba[p + 1] / 255;
      out[q + 2] = atlas.rgba[p + 2] / 255;
    }
  }
  return out;
}
