import { z } from 'zod';
import { accuracy, classIndex, count, relativeFile } from './common';

/** The run-folder format this lrpjs writes; readers migrate older ones (see `migrate.ts`). */
export const RUN_FORMAT_VERSION = 2;

/** One point of a training curve (the tutorial prints accuracies every nbit/5 iterations). */
export const curvePointSchema = z.object({
  iteration: count,
  loss: z.number().optional(),
  trainAccuracy: accuracy,
  testAccuracy: accuracy,
});

/** The heatmap row of a net: test images explained and the symmetric colour limit they were drawn with. */
export const heatmapRowSchema = z.object({
  testIndices: z.array(count),
  targets: z.array(classIndex),
  limit: z.number(),
  file: relativeFile,
  relevanceFile: relativeFile,
});

/** What metrics.json says about one network. */
export const netMetricsSchema = z.object({
  description: z.string(),
  inputSize: z.number().int().positive(),
  trainAccuracy: accuracy,
  testAccuracy: accuracy,
  curve: z.array(curvePointSchema),
  perClassAccuracy: z.array(accuracy),
  /** Rows = true class, columns = predicted class. */
  confusion: z.array(z.array(count)),
  /** Relative to the run folder, e.g. `models/net1`. */
  modelPath: relativeFile,
  /** Seconds spent training (or extracting features and fitting the head). */
  trainSeconds: z.number().nonnegative().optional(),
  heatmap: heatmapRowSchema.optional(),
});

/** metrics.json, version 2: the run's settings, timings and every net's accuracies. */
export const runMetricsSchema = z
  .object({
    version: z.literal(RUN_FORMAT_VERSION),
    createdAt: z.string(),
    backend: z.string(),
    versions: z.object({ lrpjs: z.string(), tfjs: z.string(), node: z.string() }).catchall(z.string()),
    settings: z
      .object({
        dataHome: z.string(),
        variant: z.string(),
        seed: z.number().int(),
        iterations: count,
      })
      .catchall(z.unknown()),
    seconds: z.record(z.string(), z.number()),
    classNames: z.array(z.string()).min(1),
    nets: z.record(z.string(), netMetricsSchema),
    skipped: z.record(z.string(), z.string()),
  })
  .superRefine((m, ctx) => {
    const k = m.classNames.length;
    for (const [name, net] of Object.entries(m.nets)) {
      if (net.perClassAccuracy.length !== k && net.perClassAccuracy.length !== 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['nets', name, 'perClassAccuracy'],
          message: `${k} entries (one per class name)`,
          params: { got: `${net.perClassAccuracy.length}` },
        });
      }
      if (net.confusion.length !== 0 && (net.confusion.length !== k || net.confusion.some((r) => r.length !== k))) {
        ctx.addIssue({
          code: 'custom',
          path: ['nets', name, 'confusion'],
          message: `a ${k}×${k} matrix (one row and column per class name)`,
          params: { got: `${net.confusion.length} rows of ${net.confusion.map((r) => r.length).join('/')}` },
        });
      }
      const bad = net.heatmap?.targets.findIndex((t) => t >= k) ?? -1;
      if (bad >= 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['nets', name, 'heatmap', 'targets', bad],
          message: `a class index below ${k}`,
          params: { got: String(net.heatmap?.targets[bad]) },
        });
      }
    }
  });

export type CurvePoint = z.infer<typeof curvePointSchema>;
export type HeatmapRow = z.infer<typeof heatmapRowSchema>;
export type NetMetrics = z.infer<typeof netMetricsSchema>;
export type RunMetrics = z.infer<typeof runMetricsSchema>;
