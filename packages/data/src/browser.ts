/**
 * @lrpjs/data/browser — the part of @lrpjs/data that runs in browsers too: the tutorial's split and
 * normalization, Pillow-exact bicubic resizing, scikit-learn's legacy shuffle and NPY decoding. Loading LFW from disk
 * (`@lrpjs/data`) needs Node.js.
 */
export type { LfwDataset, LfwLoadInfo, LfwOptions, LfwProgress, LfwVariant, SliceRange } from './types';
export { TUTORIAL_LFW_OPTIONS, TUTORIAL_NORMALIZATION, splitTutorial, normalizeTutorial } from './tutorial';
export { resizeBicubic, type ImageU8, type PixelRegion } from './resize';
export { legacyShuffledIndices, MersenneTwister } from './random';
export { decodeNpy, type NpyData } from './npy-read';
