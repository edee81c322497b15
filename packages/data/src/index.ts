/**
 * @lrpjs/data: Labeled Faces in the Wild exactly as scikit-learn's `fetch_lfw_people` loads it
 * (people, targets, shuffled order and pixels), for TensorFlow.js training in Node.
 */
export type { LfwDataset, LfwLoadInfo, LfwOptions, LfwProgress, LfwVariant, SliceRange } from './types';
export { loadLfwPeople, faceGeometry, DEFAULT_SLICE } from './lfw';
export { TUTORIAL_LFW_OPTIONS, TUTORIAL_NORMALIZATION, splitTutorial, normalizeTutorial } from './tutorial';
export { ensureLfw, downloadVerified, LFW_ARCHIVES, LFW_METADATA, type RemoteFile } from './download';
export { resolveDataHome, resolveLfwPaths, mkdirSteps, LFW_FOLDERS, type LfwPaths } from './paths';
export { encodeNpy, writeNpy, exportDataset, type NpyArray } from './npy';
export { decodeNpy, type NpyData } from './npy-read';
export {
  loadImageFiles,
  decodeImageFile,
  decodeImageBytes,
  inputRegion,
  pictureToInput,
  type LoadedImages,
} from './images';
export { LFW_FRAME_SIZE } from './decode';
export {
  summarizeDataset,
  formatSummary,
  runDataCommand,
  type DatasetSummary,
  type DataCommandOptions,
  type DataCommandResult,
} from './summary';
export { resizeBicubic, type ImageU8, type PixelRegion } from './resize';
export { legacyShuffledIndices, MersenneTwister } from './random';
