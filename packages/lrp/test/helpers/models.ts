import * as tf from '@tensorflow/tfjs';

/** A Dense layer with given weights ([in][out] rows) and bias. */
export function dense(
  kernel: number[][],
  bias: number[] | null,
  opts: { activation?: 'relu' | 'linear'; inputShape?: number[] } = {},
) {
  const units = kernel[0].length;
  const layer = tf.layers.dense({
    units,
    useBias: bias !== null,
    activation: opts.activation ?? 'linear',
    ...(opts.inputShape ? { inputShape: opts.inputShape } : {}),
  });
  return { layer, weights: () => [tf.tensor2d(kernel), ...(bias ? [tf.tensor1d(bias)] : [])] };
}

/** A sequential model of layers with fixed weights. */
export function sequential(
  parts: ({ layer: tf.layers.Layer; weights?: () => tf.Tensor[] } | tf.layers.Layer)[],
): tf.Sequential {
  const model = tf.sequential();
  for (const p of parts) {
    const { layer, weights } = p instanceof tf.layers.Layer ? { layer: p, weights: undefined } : p;
    model.add(layer);
    if (weights) {
      const w = weights();
      layer.setWeights(w);
      tf.dispose(w);
    }
  }
  return model;
}

/** Random conv net with ReLUs and pooling; zero biases when `zeroBias`. */
export function randomConvNet(
  opts: { zeroBias?: boolean; seed?: number; classes?: number; size?: number } = {},
): tf.Sequential {
  const { zeroBias = false, seed = 1, classes = 5, size = 12 } = opts;
  const init = (s: number) => tf.initializers.heNormal({ seed: seed * 100 + s });
  const bias = (s: number) =>
    zeroBias ? tf.initializers.zeros() : tf.initializers.randomNormal({ stddev: 0.1, seed: seed * 100 + s });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [size, size, 3],
        filters: 6,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(1),
        biasInitializer: bias(2),
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({
        filters: 8,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(3),
        biasInitializer: bias(4),
      }),
      tf.layers.averagePooling2d({ poolSize: 1 }),
      tf.layers.conv2d({
        filters: 8,
        kernelSize: 2,
        dilationRate: 2,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(5),
        biasInitializer: bias(6),
      }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, activation: 'relu', kernelInitializer: init(7), biasInitializer: bias(8) }),
      tf.layers.dense({ units: classes, kernelInitializer: init(9), biasInitializer: bias(10) }),
    ],
  });
}
