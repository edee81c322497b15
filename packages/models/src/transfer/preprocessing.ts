import type { ChannelAffineConfig } from '../layers/channel-affine';

/**
 * The tutorial feeds networks `x = pixel * 3 - 1.5` with `pixel` in [0, 1] (RGB), so an 8-bit pixel
 * value is `pixel255 = 255 * (x + 1.5) / 3 = 85 * x + 127.5`. The backbones' own preprocessing is
 * written as a {@link ChannelAffineConfig} on that x, so every model here takes the tutorial's input.
 */
export const PIXEL255_FROM_TUTORIAL = { scale: 85, offset: 127.5 } as const;

/** ImageNet channel means of Keras' "caffe" preprocessing, in BGR order. */
export const CAFFE_MEAN_BGR = [103.939, 116.779, 123.68] as const;

/** face-api's FaceRecognitionNet input: `(pixel255 - mean) / 255` with this RGB mean. */
export const FACE_API_MEAN_RGB = [122.782, 117.001, 104.298] as const;

/**
 * Tutorial input (RGB, x*3-1.5) → Keras VGG-16 "caffe" input (BGR, 0..255, ImageNet mean subtracted):
 * `y[c] = 85 * x[2 - c] + 127.5 - meanBGR[c]`.
 */
export function vggCaffePreprocessing(): ChannelAffineConfig {
  const { scale, offset } = PIXEL255_FROM_TUTORIAL;
  return {
    permutation: [2, 1, 0],
    scale: [scale, scale, scale],
    offset: CAFFE_MEAN_BGR.map((m) => offset - m),
  };
}

/** Tutorial input → face-api's input: `y[c] = (85 * x[c] + 127.5 - meanRGB[c]) / 255 = x[c] / 3 + (127.5 - meanRGB[c]) / 255`. */
export function faceApiPreprocessing(): ChannelAffineConfig {
  const { scale, offset } = PIXEL255_FROM_TUTORIAL;
  return {
    scale: [scale / 255, scale / 255, scale / 255],
    offset: FACE_API_MEAN_RGB.map((m) => (offset - m) / 255),
  };
}
