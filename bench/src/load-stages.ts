import * as fs from 'node:fs';
import { TUTORIAL_LFW_OPTIONS, loadLfwPeople, type LfwDataset, type LfwOptions } from '@lrpjs/data';
import { measure } from './measure';
import type { BenchSettings } from './options';
import { scratchDir, type Recorder } from './recorder';

/** The tutorial's fetch_lfw_people call, with the run's data home, variant and min faces. */
export function lfwOptions(settings: BenchSettings): LfwOptions {
  return {
    ...TUTORIAL_LFW_OPTIONS,
    dataHome: settings.dataHome,
    variant: settings.variant,
    minFacesPerPerson: settings.minFaces,
  };
}

/**
 * Stage 1, in a process without tfjs. Cold = decode every JPEG and write the pixel cache into a
 * fresh, empty cache folder (as scikit-learn's first call fills its joblib cache); cached = read
 * that cache back.
 */
export async function runLoadStages(settings: BenchSettings, recorder: Recorder): Promise<void> {
  recorder.result.versions.lrpjsData = readVersion('@lrpjs/data');
  const dirs: string[] = [];
  let last: LfwDataset | null = null;
  const load = async (cacheDir: string, expect: 'hit' | 'miss'): Promise<void> => {
    const ds = await loadLfwPeople({ ...lfwOptions(settings), cacheDir });
    if (ds.info?.cache !== expect) throw new Error(`expected a cache ${expect}, got '${ds.info?.cache}' (${cacheDir})`);
    last = ds;
  };
  const cold = async (): Promise<void> => {
    const dir = scratchDir('lrpjs-bench-cache-');
    dirs.push(dir);
    await load(dir, 'miss');
  };
  try {
    await recorder.stage(settings, 'load_cold', async () => {
      // Nothing cheaper predicts a cold load; the budget only trims repetitions after the first.
      const m = await measure({
        probe: async () => 0,
        run: cold,
        reps: settings.reps.load,
        budget: settings.stageBudget,
      });
      return { ...m, images: (last as LfwDataset | null)?.shape[0] };
    });
    await recorder.stage(settings, 'load_cached', async () => {
      if (dirs.length === 0) await cold();
      const dir = dirs[dirs.length - 1];
      const m = await measure({
        probe: async () => 0,
        run: () => load(dir, 'hit'),
        reps: settings.reps.load,
        budget: settings.stageBudget,
      });
      return { ...m, images: (last as LfwDataset | null)?.shape[0] };
    });
    const ds = last as LfwDataset | null;
    if (ds) {
      const [n, h, w, c] = ds.shape;
      recorder.result.data = {
        images: n,
        classes: ds.targetNames.length,
        train: Math.ceil(n / 2),
        test: Math.floor(n / 2),
        shape: [h, w, c],
      };
    }
  } finally {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function readVersion(pkg: string): string {
  try {
    return (JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
