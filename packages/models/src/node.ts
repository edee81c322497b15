/**
 * @lrpjs/models/node — what needs Node.js: models as folders on disk, pretrained weights read from files,
 * cached and downloaded. Everything else (networks, training, backends, kernels) is in `@lrpjs/models`,
 * which runs in browsers too.
 */
export { loadModel, saveModel } from './io/model-io-node';
export { fileSystemHandler, ModelFolderError, MAX_MODEL_JSON_BYTES } from './io/fs-handler';
export {
  downloadFile,
  hashFile,
  WeightsUnavailableError,
  type DownloadOptions,
  type FileHash,
  type TransferProgress,
} from './transfer/download';
export { readKerasH5Weights, type H5Weight } from './transfer/hdf5';
export {
  loadVgg16Weights,
  resolveVgg16WeightsFile,
  vgg16WeightsCachePath,
  type Vgg16WeightsFileOptions,
} from './transfer/vgg16-file';
export { defaultFaceWeightsDir, readFaceApiWeights } from './transfer/face-weights-file';
