/**
 * Measures cold (empty cache) and warm (cached) loads of the shared LFW subset with the tutorial's options
 * and writes the arrays as NPY for scripts/compare_sklearn.py.
 *
 *   pnpm exec tsx scripts/measure.ts [dataHome=../../../shared/data] [outDir=/tmp/lrpjs-measure]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exportDataset, loadLfwPeople, TUTORIAL_LFW_OPTIONS } from '../src';

async function main(): Promise<void> {
  const dataHome = path.resolve(process.argv[2] ?? path.join(__dirname, '../../../../shared/data'));
  const outDir = path.resolve(process.argv[3] ?? path.join(os.tmpdir(), 'lrpjs-measure'));
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrpjs-measure-cache-'));
  const options = { ...TUTORIAL_LFW_OPTIONS, variant: 'deepfunneled' as const, dataHome, cacheDir };
  try {
    const cold = await loadLfwPeople(options);
    const warm = await loadLfwPeople(options);
    console.log(
      `cold (no cache): ${cold.info!.seconds.toFixed(2)} s; warm (${warm.info!.cache}): ${warm.info!.seconds.toFixed(3)} s; shape ${cold.shape.join('x')}`,
    );
    await exportDataset(cold, outDir);
    console.log(`wrote ${outDir}/images.npy, targets.npy, target_names.json`);
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
