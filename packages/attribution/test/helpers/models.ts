import * as tf from '@tensorflow/tfjs';

/** flatten → dense with the given kernel ([in][out]) and bias: a linear model on [1, W, 1] inputs. */
export function linearModel(kernel: number[][], bias: number[] | null, inputShape: number[]): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.flatten({ inputShape }));
  m.add(tf.layers.dense({ units: kernel[0].length, useBias: bias !== null }));
  const w = [tf.tensor2d(kernel), ...(bias ? [tf.tensor1d(bias)] : [])];
  m.layers[1].setWeights(w);
  tf.dispose(w);
  return m;
}
