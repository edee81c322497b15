import * as tf from '@tensorflow/tfjs';
import { ChannelAffine } from '../layers/channel-affine';
import { faceApiPreprocessing } from './preprocessing';

/** Input size of face-api's FaceRecognitionNet (it resizes every face to 150×150). */
export const FACE_INPUT_SIZE = 150;
/** Length of the face descriptor. */
export const FACE_DESCRIPTOR_SIZE = 128;

/** Weight tensors of face-api's FaceRecognitionNet by manifest name (e.g. `conv32_1/conv1/conv/filters`), dequantized. */
export type FaceApiWeights = Map<string, { shape: number[]; values: Float32Array }>;

/**
 * The residual stages after the stem (`conv32_down` + 3×3/2 max-pool), in face-api's order
 * (src/faceRecognitionNet/FaceRecognitionNet.ts): `down` blocks halve the resolution.
 */
const FACE_BLOCKS: readonly { name: string; filters: number; down: boolean }[] = [
  { name: 'conv32_1', filters: 32, down: false },
  { name: 'conv32_2', filters: 32, down: false },
  { name: 'conv32_3', filters: 32, down: false },
  { name: 'conv64_down', filters: 64, down: true },
  { name: 'conv64_1', filters: 64, down: false },
  { name: 'conv64_2', filters: 64, down: false },
  { name: 'conv64_3', filters: 64, down: false },
  { name: 'conv128_down', filters: 128, down: true },
  { name: 'conv128_1', filters: 128, down: false },
  { name: 'conv128_2', filters: 128, down: false },
  { name: 'conv256_down', filters: 256, down: true },
  { name: 'conv256_1', filters: 256, down: false },
  { name: 'conv256_2', filters: 256, down: false },
  { name: 'conv256_down_out', filters: 256, down: true },
];

export interface FaceBackboneOptions {
  /**
   * Weights: face-api's (in Node, `readFaceApiWeights()` of `@lrpjs/models/node` reads the copy shipped
   * with this package), or `null` for random ones (architecture tests). Required: reading the shipped
   * weights needs the file system, which this browser-safe entry does not touch.
   */
  weights: FaceApiWeights | null;
  /** Input height and width. Default 150 (the weights were trained for it). */
  inputSize?: number;
  /** Model name. Default `'face_backbone'`. */
  name?: string;
}

/**
 * face-api's FaceRecognitionNet (a dlib ResNet) as a functional tfjs model with the tutorial's
 * input (`[N, 150, 150, 3]`, RGB, pixel*3-1.5) and the 128-d descriptor as output, made of layers
 * that LRP reads: ChannelAffine (face-api's `(pixel - mean) / 255`), Conv2D (face-api's per-channel
 * scale folded into kernel and bias; ReLU fused where face-api applies it directly), MaxPooling2D,
 * Add + ReLU for residuals, AveragePooling2D shortcuts, ZeroPadding2D where face-api pads the
 * convolution branch, a fixed 1×1 Conv2D `[I | 0]` for its zero channel padding, then
 * GlobalAveragePooling2D and Dense(128, no bias).
 */
export function buildFaceBackbone(options: FaceBackboneOptions): tf.LayersModel {
  const size = options?.inputSize ?? FACE_INPUT_SIZE;
  const weights = options?.weights;
  if (weights === undefined || typeof weights === 'string') {
    throw new Error(
      "buildFaceBackbone: pass `weights`: readFaceApiWeights() from '@lrpjs/models/node' (the shipped face-api weights) or null for random ones.",
    );
  }
  const assignments: [tf.layers.Layer, () => tf.Tensor[]][] = [];

  const take = (name: string) => {
    const w = weights?.get(name);
    if (!w) throw new Error(`Face backbone weights lack "${name}"; pass face-api's face_recognition_model weights`);
    return w;
  };
  // conv → (+bias) → ·scale + shift  ==  conv with kernel·scale and bias·scale + shift (per output channel).
  const foldedConv = (prefix: string) => (): tf.Tensor[] => {
    const filters = take(`${prefix}/conv/filters`);
    const bias = take(`${prefix}/conv/bias`).values;
    const scale = take(`${prefix}/scale/weights`).values;
    const shift = take(`${prefix}/scale/biases`).values;
    const out = scale.length;
    const kernel = new Float32Array(filters.values.length);
    for (let i = 0; i < kernel.length; i++) kernel[i] = filters.values[i] * scale[i % out];
    const b = new Float32Array(out);
    for (let o = 0; o < out; o++) b[o] = bias[o] * scale[o] + shift[o];
    return [tf.tensor(kernel, filters.shape), tf.tensor1d(b)];
  };
  const conv = (
    x: tf.SymbolicTensor,
    prefix: string,
    filters: number,
    kernelSize: number,
    strides: number,
    padding: 'same' | 'valid',
    relu: boolean,
  ) => {
    const layer = tf.layers.conv2d({
      name: prefix.replace(/\//g, '_'),
      filters,
      kernelSize,
      strides,
      padding,
      activation: relu ? 'relu' : 'linear',
    });
    const y = layer.apply(x) as tf.SymbolicTensor;
    if (weights) assignments.push([layer, foldedConv(prefix)]);
    return y;
  };

  const input = tf.input({ shape: [size, size, 3], name: 'face_input' });
  let x = new ChannelAffine({ name: 'face_preprocess', ...faceApiPreprocessing() }).apply(input) as tf.SymbolicTensor;
  x = conv(x, 'conv32_down', 32, 7, 2, 'valid', true);
  x = tf.layers
    .maxPooling2d({ name: 'stem_pool', poolSize: 3, strides: 2, padding: 'valid' })
    .apply(x) as tf.SymbolicTensor;

  for (const block of FACE_BLOCKS) {
    let branch = conv(
      x,
      `${block.name}/conv1`,
      block.filters,
      3,
      block.down ? 2 : 1,
      block.down ? 'valid' : 'same',
      true,
    );
    branch = conv(branch, `${block.name}/conv2`, block.filters, 3, 1, 'same', false);
    let shortcut = x;
    if (block.down) {
      shortcut = tf.layers
        .averagePooling2d({ name: `${block.name}_shortcut_pool`, poolSize: 2, strides: 2, padding: 'valid' })
        .apply(x) as tf.SymbolicTensor;
      const [, ph, pw, pc] = shortcut.shape as number[];
      const [, bh, bw] = branch.shape as number[];
      if (bh !== ph || bw !== pw) {
        // face-api appends a zero row and column to the conv branch when the pooled shortcut is larger.
        if (bh > ph || bw > pw)
          throw new Error(
            `Face backbone: input size ${size} gives a conv branch larger than its shortcut at ${block.name}`,
          );
        branch = tf.layers
          .zeroPadding2d({
            name: `${block.name}_pad`,
            padding: [
              [0, ph - bh],
              [0, pw - bw],
            ],
          })
          .apply(branch) as tf.SymbolicTensor;
      }
      if (pc !== block.filters) {
        // face-api concatenates zero channels to the shortcut: a fixed linear map [I | 0].
        const widen = tf.layers.conv2d({
          name: `${block.name}_shortcut_widen`,
          filters: block.filters,
          kernelSize: 1,
          useBias: false,
          trainable: false,
        });
        shortcut = widen.apply(shortcut) as tf.SymbolicTensor;
        assignments.push([
          widen,
          () => {
            const k = new Float32Array(pc * block.filters);
            for (let i = 0; i < pc; i++) k[i * block.filters + i] = 1;
            return [tf.tensor4d(k, [1, 1, pc, block.filters])];
          },
        ]);
      }
    }
    x = tf.layers.add({ name: `${block.name}_add` }).apply([branch, shortcut]) as tf.SymbolicTensor;
    x = tf.layers.reLU({ name: `${block.name}_relu` }).apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.globalAveragePooling2d({ name: 'global_pool' }).apply(x) as tf.SymbolicTensor;
  const fc = tf.layers.dense({ name: 'fc', units: FACE_DESCRIPTOR_SIZE, useBias: false });
  const descriptor = fc.apply(x) as tf.SymbolicTensor;
  if (weights) {
    assignments.push([fc, () => [tf.tensor2d(take('fc').values, take('fc').shape as [number, number])]]);
  }

  const model = tf.model({ inputs: input, outputs: descriptor, name: options.name ?? 'face_backbone' });
  for (const [layer, make] of assignments) {
    const values = make();
    layer.setWeights(values);
    tf.dispose(values);
  }
  return model;
}
