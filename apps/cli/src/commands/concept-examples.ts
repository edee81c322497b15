/**
 * Concepts of single images: the top channels of a layer for the explained class, each with its share,
 * its conditional heatmap and (when the net's atlas is built) its reference crops from the dataset.
 * Used by `explain --concepts` and by `concepts` (examples for the run's report).
 */
import type { LfwDataset } from '@lrpjs/data';
import type { Composite } from '@lrpjs/lrp';
import { conceptPanel, encodePng, imageToRgba } from '@lrpjs/viz';
import * as tf from '@tensorflow/tfjs';
import { CROP_SIZE, cropTile, type AtlasLayer, type AtlasSample } from './concepts-atlas';

export interface ExampleConcept {
  channel: number;
  share: number;
  relevance: number;
  activation: number;
  /** RelMax references from the atlas (empty without one). */
  references: AtlasSample[];
}

export interface ConceptExample {
  label: string;
  target: number;
  /** Σ relevance at the layer. */
  total: number;
  concepts: ExampleConcept[];
  /** The figure's file name. */
  figure: string;
}

export interface ConceptExamplesInput {
  model: tf.LayersModel;
  composite: Composite;
  /** Model inputs [N, H, W, 3] (normalized). */
  normalized: Float32Array;
  /** The same images in [0, 1], for the figure. */
  pixels: Float32Array;
  shape: [number, number, number, number];
  targets: number[] | 'predicted';
  labels: string[];
  layer: string;
  top: number;
  atlas?: AtlasLayer;
  /** The dataset the atlas indexes (all images at the model size). */
  dataset?: LfwDataset;
  /** File name prefix of the figures. Default 'concepts'. */
  prefix?: string;
  classNames?: readonly string[];
}

/** Computes the examples; returns them with their figures (PNG bytes by file name) and the seconds taken. */
export async function conceptExamples(
  input: ConceptExamplesInput,
): Promise<{ examples: ConceptExample[]; figures: Map<string, Uint8Array>; seconds: number }> {
  const lrp = await import('@lrpjs/lrp');
  const start = performance.now();
  const [n, h, w, c] = input.shape;
  const x = tf.tensor4d(input.normalized, input.shape);
  const examples: ConceptExample[] = [];
  const figures = new Map<string, Uint8Array>();
  try {
    const rankings = lrp.rankConcepts(input.model, x, {
      target: input.targets,
      layer: input.layer,
      top: input.top,
      composite: input.composite,
    });
    for (let i = 0; i < n; i++) {
      const ranking = rankings[i];
      const channels = ranking.concepts.map((s) => s.channel);
      const xi = tf.slice(x, [i, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D;
      // one pass: the plain heatmap (a condition that keeps everything) and one row per concept
      const res = lrp.explain(input.model, xi, {
        target: ranking.target,
        composite: input.composite,
        conditions: [{ layer: input.layer }, ...channels.map((ch) => ({ layer: input.layer, channels: [ch] }))],
      });
      // read outside tf.tidy, which would walk a returned typed array element by element
      const summed = tf.sum(res.relevance, 3);
      const maps = summed.dataSync() as Float32Array;
      tf.dispose([xi, summed, res.relevance, res.output]);
      const concepts: ExampleConcept[] = ranking.concepts.map((s) => ({
        channel: s.channel,
        share: s.share,
        relevance: s.relevance,
        activation: s.activation,
        references: input.atlas?.relevance[s.channel] ?? [],
      }));
      const figure = `${input.prefix ?? 'concepts'}-${i}.png`;
      const who = input.classNames?.[ranking.target];
      const panel = conceptPanel({
        image: imageToRgba(input.pixels.subarray(i * h * w * c, (i + 1) * h * w * c), [h, w, c]),
        heatmap: maps.subarray(0, h * w),
        title: `${input.labels[i]} | explained ${who ?? `class ${ranking.target}`} | ${input.layer}`,
        concepts: concepts.map((k, j) => ({
          label: `ch ${k.channel} ${(100 * k.share).toFixed(0)}%`,
          heatmap: maps.subarray((j + 1) * h * w, (j + 2) * h * w),
          crops:
            input.dataset && k.references.length
              ? k.references.slice(0, 6).map((r) => cropTile(input.dataset!, r.sample, r.box, CROP_SIZE))
              : [],
        })),
      });
      figures.set(figure, encodePng(panel));
      examples.push({ label: input.labels[i], target: ranking.target, total: ranking.total, concepts, figure });
    }
  } finally {
    x.dispose();
  }
  return { examples, figures, seconds: (performance.now() - start) / 1000 };
}
