import type * as tf from '@tensorflow/tfjs';
import { buildFaceBackbone, type FaceApiWeights } from './face-backbone';
import { appendLogisticRegression } from './head';
import type { LogisticRegressionModel } from './logistic-regression';
import { buildVgg16Features, type Vgg16Weights } from './vgg16';

export interface Net3Options {
  /** The logistic regression fitted on the features' NHWC-flattened output. */
  head: LogisticRegressionModel;
  /** Feature extractor from {@link buildVgg16Features} (its layers are reused, not copied). Default: a new one. */
  features?: tf.LayersModel;
  /** Weights for a new feature extractor (ignored with `features`). Default: random. */
  vggWeights?: Vgg16Weights | null;
  /** Input size for a new feature extractor. Default 64. */
  inputSize?: number;
}

/**
 * The tutorial's net3: VGG-16's first 17 layers, then the logistic regression as the top 8×8 conv
 * (+ Flatten). Input `[N, 64, 64, 3]` (pixel*3-1.5), output logits `[N, numClasses]`.
 */
export function buildNet3(options: Net3Options): tf.LayersModel {
  const features =
    options.features ?? buildVgg16Features({ inputSize: options.inputSize, weights: options.vggWeights });
  return appendLogisticRegression(features, options.head, { name: 'top_conv', modelName: 'net3' });
}

export interface Net4Options {
  /** The logistic regression fitted on the 128-d face descriptors. */
  head: LogisticRegressionModel;
  /** Descriptor model from {@link buildFaceBackbone} (layers reused). Default: a new one with `weights`. */
  backbone?: tf.LayersModel;
  /** Weights for a new backbone (ignored with `backbone`): see {@link buildFaceBackbone}. */
  weights?: FaceApiWeights | null;
}

/**
 * net4: the embedded face backbone (face-api's ResNet, 150×150 input, pixel*3-1.5) with the
 * logistic regression as a Dense head. Output logits `[N, numClasses]`.
 */
export function buildNet4(options: Net4Options): tf.LayersModel {
  const backbone = options.backbone ?? buildFaceBackbone({ weights: options.weights as FaceApiWeights | null });
  return appendLogisticRegression(backbone, options.head, { name: 'head', modelName: 'net4' });
}
