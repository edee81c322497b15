import * as tf from '@tensorflow/tfjs';

/** 1-D Gaussian weights of standard deviation `sigma`, radius ⌈3σ⌉, normalised to sum 1. */
export function gaussianKernel1d(sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const w = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += w[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
  return w.map((v) => v / sum);
}

/**
 * Separable Gaussian blur of an NHWC batch, each channel on its own, with mirrored borders so that
 * edges keep their brightness (zero padding would darken them). Call inside tf.tidy.
 */
export function gaussianBlur(x: tf.Tensor4D, sigma: number): tf.Tensor4D {
  if (!(sigma > 0)) throw new Error(`blur: sigma must be > 0, got ${sigma}.`);
  const [, h, w, c] = x.shape;
  const k = gaussianKernel1d(sigma);
  const r = Math.min((k.length - 1) / 2, h - 1, w - 1);
  const kk = r === (k.length - 1) / 2 ? k : gaussianKernel1d(r / 3);
  const kh = tf.tile(tf.reshape(tf.tensor1d(kk), [kk.length, 1, 1, 1]), [1, 1, c, 1]) as tf.Tensor4D;
  const kw = tf.reshape(kh, [1, kk.length, c, 1]) as tf.Tensor4D;
  const padded = tf.mirrorPad(
    x,
    [
      [0, 0],
      [r, r],
      [r, r],
      [0, 0],
    ],
    'reflect',
  );
  return tf.depthwiseConv2d(tf.depthwiseConv2d(padded, kh, 1, 'valid'), kw, 1, 'valid');
}
