import { loadLfwPeople, splitTutorial, TUTORIAL_LFW_OPTIONS, type LfwDataset } from '@lrpjs/data';
import type { Progress, Stage } from './progress';
import type { VariantChoice } from './shared-options';

export interface DatasetRequest {
  dataHome: string;
  variant: VariantChoice;
  /** false: fail instead of downloading. */
  download: boolean;
  /** Side of the square images: 64 as the tutorial, 150 for the face backbone. Default 64. */
  size?: number;
  /** Default 40 as the tutorial. */
  minFacesPerPerson?: number;
}

export interface LoadedDataset {
  all: LfwDataset;
  train: LfwDataset;
  test: LfwDataset;
  seconds: number;
}

/**
 * Loads LFW with the tutorial's options (crop 68:197 both ways, colour, ≥ 40 faces per person);
 * `size` 64 is the tutorial's resize 0.5, other sizes resize the same crop exactly to size×size.
 */
export async function loadTutorialDataset(req: DatasetRequest, progress: Progress): Promise<LoadedDataset> {
  const size = req.size ?? 64;
  const stages = new Map<string, Stage>();
  const label = (stage: string) => `lfw ${stage}${size !== 64 ? ` (${size}×${size})` : ''}`;
  const start = performance.now();
  const all = await loadLfwPeople({
    ...TUTORIAL_LFW_OPTIONS,
    dataHome: req.dataHome,
    variant: req.variant,
    downloadIfMissing: req.download,
    minFacesPerPerson: req.minFacesPerPerson ?? TUTORIAL_LFW_OPTIONS.minFacesPerPerson,
    ...(size !== 64 ? { resize: { height: size, width: size } } : {}),
    onProgress: ({ stage, done, total, detail }) => {
      const key = `${stage}${detail ? ` ${detail}` : ''}`;
      let s = stages.get(key);
      if (!s) {
        // a new stage ends the previous ones (download → extract → decode)
        for (const [name, other] of stages) if (name !== key) other.finish();
        s = progress.stage(label(key), total);
        stages.set(key, s);
      }
      s.update(done);
      if (total > 0 && done >= total) s.finish();
    },
  });
  for (const s of stages.values()) s.finish();
  const { train, test } = splitTutorial(all);
  return { all, train, test, seconds: (performance.now() - start) / 1000 };
}
