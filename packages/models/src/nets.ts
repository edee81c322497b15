import * as tf from '@tensorflow/tfjs';
import { SpatialDropout2D } from './layers/spatial-dropout2d';
import { Rng, createRng } from './rng';

export interface NetOptions {
  /** Number of classes (outputs of the top convolution). Required. */
  numClasses: number;
  /** Side of the square RGB input, a multiple of 8. Default 64 (the tutorial's crop at resize 0.5). */
  inputSize?: number;
  /**
   * Weight initialisation. `'pytorch'` (default) draws as PyTorch's `nn.Conv2d.reset_parameters`:
   * weights kaiming-uniform with a = √5, i.e. U(−1/√fan_in, 1/√fan_in), and biases U(−1/√fan_in,
   * 1/√fan_in), fan_in = kh·kw·C_in. `'tfjs'` keeps tfjs's defaults (Glorot-uniform weights, zero biases).
   */
  init?: 'pytorch' | 'tfjs';
  /** Seed for the initial weights (and net2's dropout masks). Default: random. */
  seed?: number;
  /** Model name. Default `'net1'` / `'net2'`. */
  name?: string;
}

/** Dropout rate of net2 (PyTorch's `nn.Dropout2d()` default). */
export const NET2_DROPOUT_RATE = 0.5;

/**
 * The tutorial's first network, channels-last:
 * `conv1 5×5×10 → relu1 → pool1 → conv2 5×5×25 → relu2 → pool2 → conv3 5×5×100 → relu3 → pool3 →
 *  conv4 (s/8 × s/8 valid, numClasses) → flatten`. Output: logits `[N, numClasses]`.
 */
export function buildNet1(options: NetOptions): tf.Sequential {
  return buildTutorialNet(options, false);
}

/** net1 with `SpatialDropout2D(0.5)` (PyTorch `Dropout2d`) between pool3 and the top convolution. */
export function buildNet2(options: NetOptions): tf.Sequential {
  return buildTutorialNet(options, true);
}

function buildTutorialNet(options: NetOptions, dropout: boolean): tf.Sequential {
  const { numClasses, inputSize = 64, init = 'pytorch' } = options;
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new Error(`numClasses must be an integer ≥ 2, got ${numClasses}.`);
  }
  if (!Number.isInteger(inputSize) || inputSize < 8 || inputSize % 8 !== 0) {
    throw new Error(`inputSize must be a positive multiple of 8 (three 2× poolings), got ${inputSize}.`);
  }
  if (init !== 'pytorch' && init !== 'tfjs')
    throw new Error(`init must be 'pytorch' or 'tfjs', got '${String(init)}'.`);
  const rng = createRng(options.seed);
  // tfjs initialisers take an integer seed; derive them from ours so 'tfjs' init is reproducible too.
  const seedFor = (): number | undefined => (options.seed === undefined ? undefined : rng.int(2 ** 31));
  const conv = (name: string, filters: number, kernelSize: number, padding: 'same' | 'valid', inputShape?: number[]) =>
    unfusedWhenTraining(
      tf.layers.conv2d({
        name,
        filters,
        kernelSize,
        padding,
        inputShape,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seedFor() }),
        biasInitializer: 'zeros',
      }),
    );

  const model = tf.sequential({ name: options.name ?? (dropout ? 'net2' : 'net1') });
  model.add(conv('conv1', 10, 5, 'same', [inputSize, inputSize, 3]));
  model.add(tf.layers.reLU({ name: 'relu1' }));
  model.add(tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }));
  model.add(conv('conv2', 25, 5, 'same'));
  model.add(tf.layers.reLU({ name: 'relu2' }));
  model.add(tf.layers.maxPooling2d({ name: 'pool2', poolSize: 2 }));
  model.add(conv('conv3', 100, 5, 'same'));
  model.add(tf.layers.reLU({ name: 'relu3' }));
  model.add(tf.layers.maxPooling2d({ name: 'pool3', poolSize: 2 }));
  if (dropout) model.add(new SpatialDropout2D({ name: 'dropout', rate: NET2_DROPOUT_RATE, seed: seedFor() }));
  model.add(conv('conv4', numClasses, inputSize / 8, 'valid'));
  model.add(tf.layers.flatten({ name: 'flatten' }));

  if (init === 'pytorch') initLikePyTorch(model, rng);
  return model;
}

/** The Conv2D internals tfjs-layers keeps on the instance (not part of its public typings). */
interface ConvInternals {
  kernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor } | null;
  strides: [number, number];
  padding: 'same' | 'valid';
  dilationRate: [number, number];
  dataFormat: string;
  activation: { apply(x: tf.Tensor): tf.Tensor; getClassName(): string };
}

/**
 * Makes a Conv2D layer run `conv2d + add(bias)` instead of tfjs's fused conv when called with
 * `training: true`. The fused op's custom gradient always computes the input gradient, even for the first
 * layer whose input is data (15–20 % of a net1 training step on wasm); the unfused `conv2d` gradient is
 * lazy, so that backprop-input convolution is skipped. Inference keeps the fused kernel. The layer's class,
 * config and weights are unchanged, so it serialises as a plain Conv2D.
 */
function unfusedWhenTraining(layer: tf.layers.Layer): tf.layers.Layer {
  const fusedCall = layer.call.bind(layer);
  const conv = layer as unknown as ConvInternals;
  layer.call = (inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }) => {
    if (!kwargs?.training || conv.dataFormat !== 'channelsLast') return fusedCall(inputs, kwargs);
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      let y: tf.Tensor = tf.conv2d(
        x,
        conv.kernel.read() as tf.Tensor4D,
        conv.strides,
        conv.padding,
        'NHWC',
        conv.dilationRate,
      );
      if (conv.bias != null) y = tf.add(y, conv.bias.read());
      return conv.activation.apply(y);
    });
  };
  return layer;
}

/**
 * Re-initialises every Conv2D/Dense layer of `model` as PyTorch does by default:
 * kaiming_uniform(a=√5) gives bound = gain·√(3/fan_in) with gain = √(2/(1+a²)) = √(1/3), so
 * bound = 1/√fan_in for the weights, and the biases are U(−1/√fan_in, 1/√fan_in) too.
 */
export function initLikePyTorch(model: tf.LayersModel, rng: Rng = createRng()): void {
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls !== 'Conv2D' && cls !== 'Dense') continue;
    const weights = layer.getWeights();
    if (weights.length === 0) continue;
    const kernelShape = weights[0].shape;
    const fanIn = kernelShape.slice(0, -1).reduce((a, b) => a * b, 1); // HWIO / [in, out]: all but the last axis
    const bound = 1 / Math.sqrt(fanIn);
    const fresh = weights.map((w) => {
      const values = new Float32Array(w.size);
      for (let i = 0; i < values.length; i++) values[i] = rng.uniform(-bound, bound);
      return tf.tensor(values, w.shape, 'float32');
    });
    layer.setWeights(fresh);
    tf.dispose(fresh);
  }
}
