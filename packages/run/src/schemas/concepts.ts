import { z } from 'zod';
import { classIndex, count, relativeFile } from './common';

/** A box in input pixels, half-open: rows y0..y1−1, columns x0..x1−1. */
const box = z
  .object({ y0: count, x0: count, y1: count, x1: count })
  .refine((b) => b.y0 < b.y1 && b.x0 < b.x1, { message: 'a non-empty box (y0 < y1, x0 < x1)' });

/** One reference sample of a channel: where in which dataset image the channel is most relevant (or active). */
const referenceSample = z.object({
  /** Index into the whole dataset at the atlas's input size (all images, the tutorial's order). */
  sample: count,
  /** The channel's relevance (RelMax) or activation (ActMax) there. */
  value: z.number(),
  /** The cell of the layer's feature map (row-major) where the value was found. */
  cell: count,
  /** The class explained for this sample. */
  target: classIndex,
  /** The crop: where the single neuron at that cell is relevant, in input pixels. */
  box,
});

const atlasLayer = z
  .object({
    layer: z.string().min(1),
    /** The layer's output [height, width, channels]. */
    shape: z.tuple([count, count, z.number().int().positive()]),
    /** Per channel, its reference samples by relevance (RelMax), best first. */
    relevance: z.array(z.array(referenceSample)),
    /** Per channel, by activation (ActMax). */
    activation: z.array(z.array(referenceSample)),
    /** PNG sprites of the crops, relative to the atlas's folder: one row per channel, `top` crops per row. */
    sprites: z.object({ relevance: relativeFile, activation: relativeFile }),
  })
  .superRefine((l, ctx) => {
    for (const key of ['relevance', 'activation'] as const) {
      if (l[key].length !== l.shape[2]) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `one list per channel (${l.shape[2]})`,
          params: { got: `${l[key].length}` },
        });
      }
    }
  });

/**
 * `concepts/<net>/atlas.json`, written by `lrpjs concepts`: for chosen layers of a net, each channel's reference
 * samples from the dataset (Concept Relevance Propagation's RelMax and ActMax) and the sprites of their crops.
 */
export const conceptAtlasSchema = z
  .object({
    version: z.literal(1),
    net: z.string().min(1),
    /** The model folder, relative to the run. */
    model: relativeFile,
    /** The composite the relevance was computed with (a catalogue name and its parameters). */
    composite: z.object({ name: z.string().min(1), params: z.record(z.string(), z.number()).optional() }).loose(),
    target: z.enum(['true', 'predicted']),
    /** Reference samples per channel. */
    top: z.number().int().positive(),
    /** Images the pass went over. */
    samples: count,
    inputSize: z.number().int().positive(),
    /** Side of each crop in the sprites, in pixels. */
    cropSize: z.number().int().positive(),
    checksum: z.string(),
    seconds: z.record(z.string(), z.number()).optional(),
    layers: z.array(atlasLayer).min(1),
  })
  .superRefine((a, ctx) => {
    a.layers.forEach((l, i) => {
      for (const key of ['relevance', 'activation'] as const) {
        if (l[key].some((list) => list.length > a.top)) {
          ctx.addIssue({
            code: 'custom',
            path: ['layers', i, key],
            message: `at most top (${a.top}) samples a channel`,
          });
        }
      }
    });
  });

export type ConceptAtlas = z.infer<typeof conceptAtlasSchema>;
export type ConceptAtlasLayer = ConceptAtlas['layers'][number];
export type ConceptReference = ConceptAtlasLayer['relevance'][number][number];
