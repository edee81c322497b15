/**
 * @lrpjs/models — the tutorial's networks (net1, net2), backend selection and the wasm kernels that make
 * training fast there, training and evaluation, and save/load with metadata. Browser-safe: file I/O and
 * downloads are in `@lrpjs/models/node`.
 */
export { selectBackend, backendInfo } from './backend/select';
export type { BackendName, BackendInfo, SelectBackendOptions } from './backend/select';
export { registerWasmKernels, configureSimdConv, simdConvInfo } from './kernels';
export type { RegisterWasmKernelsOptions, SimdConvOptions } from './kernels';

export { buildNet1, buildNet2, initLikePyTorch, NET2_DROPOUT_RATE } from './nets';
export type { NetOptions } from './nets';
export { SpatialDropout2D, spatialDropout2d } from './layers/spatial-dropout2d';
export type { SpatialDropout2DArgs } from './layers/spatial-dropout2d';

export { train } from './train';
export type { TrainData, TrainOptions, TrainResult, EvaluationPoint, StepInfo } from './train';
export { evaluate, predictLogits, predictClasses, scorePredictions } from './evaluate';
export type { Evaluation, EvaluateOptions } from './evaluate';

export { saveModel, loadModel } from './io/model-io';
export type { ModelSource, LoadModelOptions, LoadedModel } from './io/model-io';
export { TUTORIAL_INPUT_NORMALIZATION, METADATA_KEY } from './metadata';
export type { ModelMetadata, Normalization } from './metadata';
export { createRng } from './rng';
export type { Rng } from './rng';
// Named one by one (not `export *`): Node's CommonJS named-export detection cannot see through a star.
export {
  ChannelAffine,
  channelAffine,
  type ChannelAffineArgs,
  type ChannelAffineConfig,
  CAFFE_MEAN_BGR,
  FACE_API_MEAN_RGB,
  PIXEL255_FROM_TUTORIAL,
  faceApiPreprocessing,
  vggCaffePreprocessing,
  VGG16_FEATURE_LAYERS,
  VGG16_NOTOP_WEIGHTS,
  buildVgg16Features,
  setVgg16Weights,
  type Vgg16FeaturesOptions,
  type Vgg16Weights,
  FACE_DESCRIPTOR_SIZE,
  FACE_INPUT_SIZE,
  buildFaceBackbone,
  type FaceApiWeights,
  type FaceBackboneOptions,
  fitLogisticRegression,
  logisticRegressionLogits,
  predictLogisticRegression,
  type LogisticRegressionModel,
  type LogisticRegressionOptions,
  type LogisticRegressionSolver,
  appendLogisticRegression,
  extractFeatures,
  applyLogisticRegression,
  type ExtractFeaturesOptions,
  type ImageBatchSource,
  type HeadOptions,
  fitTransferHead,
  type FitTransferHeadOptions,
  type LabelledImages,
  type TransferHeadProgress,
  type TransferHeadResult,
  buildNet3,
  buildNet4,
  type Net3Options,
  type Net4Options,
} from './transfer';
