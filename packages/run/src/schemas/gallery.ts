import { z } from 'zod';
import { classIndex, count, relativeFile } from './common';
import { RUN_FORMAT_VERSION } from './metrics';

/** gallery/gallery.json: the test images packed into atlases for the web app, and each net's predictions. */
export const galleryIndexSchema = z
  .object({
    version: z.literal(RUN_FORMAT_VERSION),
    count,
    /** Atlas file per tile size, e.g. `{ "64": "images-64.png" }`, relative to `gallery/`. */
    tile: z.record(z.string().regex(/^[1-9]\d{0,3}$/, { message: 'a tile size in pixels' }), relativeFile),
    columns: z.number().int().positive(),
    testIndices: z.array(count).optional(),
    targets: z.array(classIndex),
    classNames: z.array(z.string()).optional(),
    predictions: z.record(z.string(), z.array(classIndex)),
  })
  .superRefine((g, ctx) => {
    const lists: [string[], unknown[] | undefined][] = [
      [['targets'], g.targets],
      [['testIndices'], g.testIndices],
      ...Object.entries(g.predictions).map(([net, p]): [string[], unknown[]] => [['predictions', net], p]),
    ];
    for (const [path, list] of lists) {
      if (list && list.length !== g.count) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `${g.count} entries (count)`,
          params: { got: `${list.length}` },
        });
      }
    }
  });

export type GalleryIndex = z.infer<typeof galleryIndexSchema>;
