import type { LayerAdapter } from '../graph/builder';
import { ACTIVATION_CLASSES, activationAdapter } from './activation';
import { addAdapter } from './add';
import { averagePooling2dAdapter } from './average-pooling2d';
import { batchNormalizationAdapter } from './batch-normalization';
import { channelAffineAdapter } from './channel-affine';
import { concatenateAdapter } from './concatenate';
import { conv1dAdapter } from './conv1d';
import { conv2dAdapter } from './conv2d';
import { conv2dTransposeAdapter } from './conv2d-transpose';
import { cropping2dAdapter } from './cropping2d';
import { denseAdapter } from './dense';
import { depthwiseConv2dAdapter } from './depthwise-conv2d';
import { DROPOUT_CLASSES, dropoutAdapter } from './dropout';
import { flattenAdapter } from './flatten';
import { globalAveragePooling2dAdapter } from './global-average-pooling2d';
import { globalMaxPooling2dAdapter } from './global-max-pooling2d';
import { pooling1dAdapter } from './pooling1d';
import { upSampling2dAdapter } from './up-sampling2d';
import { inputLayerAdapter } from './input-layer';
import { maxPooling2dAdapter } from './max-pooling2d';
import { affinePreprocessAdapter } from './affine-preprocess';
import { centerCropAdapter, resizingAdapter } from './resampling';
import { reshapeAdapter } from './reshape';
import { separableConv2dAdapter } from './separable-conv2d';
import { zeroPadding2dAdapter } from './zero-padding2d';

/** The built-in adapters by tfjs class name: one file per class in this folder. */
export const BUILT_IN_ADAPTERS: Record<string, LayerAdapter> = {
  InputLayer: inputLayerAdapter,
  Conv2D: conv2dAdapter,
  Dense: denseAdapter,
  DepthwiseConv2D: depthwiseConv2dAdapter,
  SeparableConv2D: separableConv2dAdapter,
  Conv1D: conv1dAdapter,
  Conv2DTranspose: conv2dTransposeAdapter,
  GlobalMaxPooling2D: globalMaxPooling2dAdapter,
  MaxPooling1D: pooling1dAdapter,
  AveragePooling1D: pooling1dAdapter,
  UpSampling2D: upSampling2dAdapter,
  Cropping2D: cropping2dAdapter,
  MaxPooling2D: maxPooling2dAdapter,
  AveragePooling2D: averagePooling2dAdapter,
  GlobalAveragePooling2D: globalAveragePooling2dAdapter,
  Flatten: flattenAdapter,
  Reshape: reshapeAdapter,
  ZeroPadding2D: zeroPadding2dAdapter,
  Add: addAdapter,
  Concatenate: concatenateAdapter,
  Rescaling: affinePreprocessAdapter,
  Normalization: affinePreprocessAdapter,
  Resizing: resizingAdapter,
  CenterCrop: centerCropAdapter,
  ChannelAffine: channelAffineAdapter,
  BatchNormalization: batchNormalizationAdapter,
  ...Object.fromEntries(ACTIVATION_CLASSES.map((c) => [c, activationAdapter])),
  ...Object.fromEntries(DROPOUT_CLASSES.map((c) => [c, dropoutAdapter])),
};
