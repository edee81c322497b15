/** `explain --concepts <layer>`: per image, the top concepts with conditional heatmaps and reference crops. */
import type { LoadedModel } from '@lrpjs/models';
import path from 'node:path';
import { UsageError } from '../errors';
import { makeComposite, resolveComposite, type CompositeSettings } from '../explain-arrays';
import type { Progress } from '../progress';
import type { RunWriter } from '@lrpjs/run/node';
import { normalizeFor } from '../saved-model';
import type { SharedOptions } from '../shared-options';
import { conceptExamples } from './concept-examples';
import { readAtlas } from './concepts-atlas';

export interface ExplainConceptsInput extends Pick<SharedOptions, 'dataHome' | 'variant' | 'download'> {
  loaded: LoadedModel & { file: string };
  composite: CompositeSettings;
  pixels: Float32Array;
  shape: [number, number, number, number];
  target: number[] | 'predicted';
  names: string[];
  layer: string;
  top: number;
}

/** Writes concepts.json and concepts-<i>.png into the explain folder; returns the seconds per image. */
export async function writeExplainConcepts(
  folder: RunWriter,
  input: ExplainConceptsInput,
  progress: Progress,
): Promise<number> {
  const model = input.loaded.model;
  if (!model.layers.some((l) => l.name === input.layer)) {
    throw new UsageError(
      `--concepts: the model has no layer '${input.layer}'`,
      `layers: ${model.layers.map((l) => l.name).join(', ')}`,
    );
  }
  // a model inside a run folder (runs/<x>/models/<net>) finds its atlas at runs/<x>/concepts/<net>
  const modelDir = path.dirname(input.loaded.file);
  const atlas = readAtlas(path.dirname(path.dirname(modelDir)), path.basename(modelDir));
  const atlasLayer = atlas?.layers.find((l) => l.layer === input.layer);
  let dataset;
  if (atlasLayer) {
    const { loadTutorialDataset } = await import('../dataset');
    dataset = (
      await loadTutorialDataset(
        { dataHome: input.dataHome, variant: input.variant, download: input.download, size: atlas!.inputSize },
        progress,
      )
    ).all;
  } else {
    progress.log(
      `no reference atlas for ${input.layer} next to the model: concepts without reference crops ` +
        `(build it with 'lrpjs concepts --run <run> --net <net> --layer ${input.layer}')`,
    );
  }
  const stage = progress.stage(`concepts at ${input.layer}`, 1);
  const { examples, figures, seconds } = await conceptExamples({
    model,
    composite: await makeComposite(resolveComposite(input.composite, model)),
    normalized: normalizeFor(input.loaded, input.pixels),
    pixels: input.pixels,
    shape: input.shape,
    targets: input.target,
    labels: input.names,
    layer: input.layer,
    top: input.top,
    atlas: atlasLayer,
    dataset,
    classNames: input.loaded.metadata.classNames,
  });
  stage.finish();
  for (const [file, png] of figures) folder.write(file, png);
  const perImage = seconds / input.shape[0];
  folder.writeJson('concepts.json', {
    layer: input.layer,
    atlas: atlasLayer ? { checksum: atlas!.checksum, samples: atlas!.samples } : null,
    secondsPerImage: perImage,
    images: examples,
  });
  return perImage;
}
