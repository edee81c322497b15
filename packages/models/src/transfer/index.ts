// Transfer learning: pretrained backbones (VGG-16 from Keras HDF5, face-api's face ResNet), a
// logistic-regression head, and its conversion into the network's top layer.
export {
  ChannelAffine,
  channelAffine,
  type ChannelAffineArgs,
  type ChannelAffineConfig,
} from '../layers/channel-affine';
export {
  CAFFE_MEAN_BGR,
  FACE_API_MEAN_RGB,
  PIXEL255_FROM_TUTORIAL,
  faceApiPreprocessing,
  vggCaffePreprocessing,
} from './preprocessing';
export {
  VGG16_FEATURE_LAYERS,
  VGG16_NOTOP_WEIGHTS,
  buildVgg16Features,
  setVgg16Weights,
  type Vgg16FeaturesOptions,
  type Vgg16Weights,
} from './vgg16';
export {
  FACE_DESCRIPTOR_SIZE,
  FACE_INPUT_SIZE,
  buildFaceBackbone,
  type FaceApiWeights,
  type FaceBackboneOptions,
} from './face-backbone';
export {
  fitLogisticRegression,
  logisticRegressionLogits,
  predictLogisticRegression,
  type LogisticRegressionModel,
  type LogisticRegressionOptions,
  type LogisticRegressionSolver,
} from './logistic-regression';
export {
  appendLogisticRegression,
  extractFeatures,
  applyLogisticRegression,
  type ExtractFeaturesOptions,
  type ImageBatchSource,
  type HeadOptions,
} from './head';
export {
  fitTransferHead,
  type FitTransferHeadOptions,
  type LabelledImages,
  type TransferHeadProgress,
  type TransferHeadResult,
} from './fit-head';
export { buildNet3, buildNet4, type Net3Options, type Net4Options } from './nets';
