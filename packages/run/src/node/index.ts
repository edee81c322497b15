/** @lrpjs/run/node — writing and housekeeping of run folders on Node's file system. */
export { RunFolderError } from './errors';
export { ensureDir } from './dirs';
export { writeFileAtomic, stringifyJson } from './atomic';
export { processAlive, inspectLock, type LockState } from './lock';
export { RunWriter, checkRunTarget, type RunWriterOptions } from './writer';
export { listRuns, cleanRuns, type RunListing, type CleanResult } from './housekeeping';
export { readRunFolderMetrics, readRunFolderGallery } from './read-run';
