import * as tf from '@tensorflow/tfjs';
import { ChannelAffine } from '../layers/channel-affine';
import { vggCaffePreprocessing } from './preprocessing';

/** The canonical Keras applications file with ImageNet VGG-16 conv weights ("notop"). */
export const VGG16_NOTOP_WEIGHTS = {
  fileName: 'vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5',
  url: 'https://storage.googleapis.com/tensorflow/keras-applications/vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5',
  /** Keras' published `file_hash` (md5) in keras/applications/vgg16.py. */
  md5: '6d6bbae143d832006294945121d1f1fc',
  bytes: 58_889_256,
} as const;

/**
 * The tutorial's `vgg16.features[:17]`: Keras names, 3×3 same-padded convs with ReLU and 2×2 max-pools,
 * down to block3_pool (256 × H/8 × W/8).
 */
export const VGG16_FEATURE_LAYERS = [
  { name: 'block1_conv1', filters: 64 },
  { name: 'block1_conv2', filters: 64 },
  { name: 'block1_pool' },
  { name: 'block2_conv1', filters: 128 },
  { name: 'block2_conv2', filters: 128 },
  { name: 'block2_pool' },
  { name: 'block3_conv1', filters: 256 },
  { name: 'block3_conv2', filters: 256 },
  { name: 'block3_conv3', filters: 256 },
  { name: 'block3_pool' },
] as const satisfies readonly { name: string; filters?: number }[];

/** Conv weights by Keras layer name: kernel HWIO `[3, 3, in, out]` (row-major) and bias `[out]`. */
export type Vgg16Weights = Record<string, { kernel: Float32Array; bias: Float32Array }>;

/** Expected `[3, 3, in, out]` kernel shapes of the convs we use. */
export function vgg16KernelShapes(): Map<string, [number, number, number, number]> {
  const shapes = new Map<string, [number, number, number, number]>();
  let channels = 3;
  for (const layer of VGG16_FEATURE_LAYERS) {
    if ('filters' in layer) {
      shapes.set(layer.name, [3, 3, channels, layer.filters]);
      channels = layer.filters;
    }
  }
  return shapes;
}

export interface Vgg16FeaturesOptions {
  /** Height and width of the (square) input; a multiple of 8. Default 64 (the tutorial's), giving 8×8×256. */
  inputSize?: number;
  /** ImageNet weights (`loadVgg16Weights` of `@lrpjs/models/node`); default: random (torchvision's init, He-normal fan-out, zero bias). */
  weights?: Vgg16Weights | null;
  /** Seed of the random initialization. Default 0. */
  seed?: number;
  /** Model name. Default `'vgg16_features'`. */
  name?: string;
}

/**
 * The tutorial's VGG-17 feature extractor as a Sequential model with the tutorial's input
 * (`[N, s, s, 3]`, RGB, pixel*3-1.5): a {@link ChannelAffine} to Keras' caffe input (BGR, 0..255,
 * ImageNet mean subtracted), then block1_conv1 … block3_pool. Output `[N, s/8, s/8, 256]`.
 */
export function buildVgg16Features(options: Vgg16FeaturesOptions = {}): tf.Sequential {
  const inputSize = options.inputSize ?? 64;
  if (!Number.isInteger(inputSize) || inputSize < 8 || inputSize % 8 !== 0) {
    throw new Error(
      `buildVgg16Features: inputSize must be a positive multiple of 8 (three 2×2 pools), got ${inputSize}`,
    );
  }
  const seed = options.seed ?? 0;
  const model = tf.sequential({ name: options.name ?? 'vgg16_features' });
  model.add(
    new ChannelAffine({ inputShape: [inputSize, inputSize, 3], name: 'caffe_preprocess', ...vggCaffePreprocessing() }),
  );
  let index = 0;
  for (const layer of VGG16_FEATURE_LAYERS) {
    if ('filters' in layer) {
      index += 1;
      model.add(
        tf.layers.conv2d({
          name: layer.name,
          filters: layer.filters,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          // torchvision's VGG init: kaiming_normal_(mode='fan_out', nonlinearity='relu'), bias 0.
          kernelInitializer: tf.initializers.randomNormal({
            mean: 0,
            stddev: Math.sqrt(2 / (9 * layer.filters)),
            seed: seed * 101 + index,
          }),
          biasInitializer: 'zeros',
        }),
      );
    } else {
      model.add(tf.layers.maxPooling2d({ name: layer.name, poolSize: 2, strides: 2 }));
    }
  }
  if (options.weights) setVgg16Weights(model, options.weights);
  return model;
}

/** Copies {@link Vgg16Weights} into a model built by {@link buildVgg16Features}. */
export function setVgg16Weights(model: tf.LayersModel, weights: Vgg16Weights): void {
  for (const [name, shape] of vgg16KernelShapes()) {
    const w = weights[name];
    if (!w) throw new Error(`setVgg16Weights: weights for ${name} missing`);
    const values = tf.tidy(() => [tf.tensor4d(w.kernel, shape), tf.tensor1d(w.bias)]);
    model.getLayer(name).setWeights(values);
    tf.dispose(values);
  }
}
