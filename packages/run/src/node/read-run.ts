import fs from 'node:fs';
import path from 'node:path';
import { PARTIAL_SUFFIX, RUN_FILES } from '../layout';
import { readGalleryIndex, readRunMetrics } from '../read';
import type { GalleryIndex } from '../schemas/gallery';
import type { RunMetrics } from '../schemas/metrics';
import { RunFolderError } from './errors';
import { inspectLock } from './lock';

/**
 * metrics.json of the run folder `dir`, validated. An interrupted or still running run (`<dir>.partial`,
 * or `dir` itself ending in `.partial`) is named as such, with what to do.
 */
export function readRunFolderMetrics(dir: string): RunMetrics {
  const runDir = path.resolve(dir);
  const partial = runDir.endsWith(PARTIAL_SUFFIX)
    ? runDir
    : fs.existsSync(runDir + PARTIAL_SUFFIX)
      ? runDir + PARTIAL_SUFFIX
      : undefined;
  const file = path.join(runDir, RUN_FILES.metrics);
  if (!fs.existsSync(file)) {
    if (partial) {
      const lock = inspectLock(partial);
      const running = lock.state === 'live' || lock.state === 'foreign';
      throw new RunFolderError(
        'interrupted',
        running ? `${partial} is a run still being written` : `${partial} is an interrupted run (it never finished)`,
        running
          ? 'wait for it to finish'
          : `run the command again, and remove it with 'lrpjs clean ${path.dirname(partial)}'`,
      );
    }
    if (!fs.existsSync(runDir)) {
      throw new RunFolderError(
        'not-a-run',
        `run folder ${runDir} does not exist`,
        'give the folder a run wrote (runs/<timestamp>)',
      );
    }
    throw new RunFolderError(
      'not-a-run',
      `${runDir} has no ${RUN_FILES.metrics}`,
      'give the folder a run wrote (runs/<timestamp>)',
    );
  }
  return readRunMetrics(fs.readFileSync(file, 'utf8'), file);
}

/** gallery/gallery.json of a run, validated; undefined when the run has no gallery. */
export function readRunFolderGallery(dir: string): GalleryIndex | undefined {
  const file = path.join(path.resolve(dir), RUN_FILES.gallery);
  if (!fs.existsSync(file)) return undefined;
  return readGalleryIndex(fs.readFileSync(file, 'utf8'), file);
}
