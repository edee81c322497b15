import * as tf from '@tensorflow/tfjs';
import type { AttributionModel } from './types';

/** A differentiable function from an input batch to logits `[N, classes]`. */
export type Forward = (x: tf.Tensor) => tf.Tensor2D;

const logitModels = new WeakMap<tf.LayersModel, tf.LayersModel>();

/**
 * A LayersModel without its closing softmax layer: attributions explain the logits (as LRP does),
 * because the softmax couples the classes and saturates the gradient.
 */
function logitsOf(model: tf.LayersModel): tf.LayersModel {
  const cached = logitModels.get(model);
  if (cached) return cached;
  const last = model.layers[model.layers.length - 1];
  const config = last?.getConfig() as { activation?: string } | undefined;
  let out = model;
  if (last && last.getClassName() === 'Activation' && config?.activation === 'softmax' && model.outputs.length === 1) {
    out = tf.model({ inputs: model.inputs, outputs: last.input as tf.SymbolicTensor });
  }
  logitModels.set(model, out);
  return out;
}

function as2d(y: tf.Tensor, n: number): tf.Tensor2D {
  return tf.reshape(y, [n, y.size / n]) as tf.Tensor2D;
}

/** The Conv2D/Dense internals tfjs-layers keeps on the instance (not part of its public typings). */
interface AffineInternals {
  kernel: { read(): tf.Tensor } | null;
  bias: { read(): tf.Tensor } | null;
  strides?: [number, number];
  padding?: 'same' | 'valid';
  dilationRate?: [number, number];
  dataFormat?: string;
  activation: { apply(x: tf.Tensor): tf.Tensor };
}

const inputGradientLayers = new WeakSet<object>();

/**
 * Makes the Conv2D and Dense layers of `model` run as `conv2d`/`matMul` + bias while a gradient is being
 * recorded. tfjs-layers calls the fused ops, whose custom gradient computes the weight gradients eagerly
 * with the input gradient; an attribution needs only the latter, and the unfused ops' gradients are lazy,
 * which skips every Conv2DBackpropFilter (about a quarter of a gradient's cost on net1). Outside a
 * gradient the fused kernel runs as before; class, config and weights are unchanged.
 */
function skipWeightGradients(model: tf.LayersModel): void {
  for (const layer of model.layers) {
    if (layer instanceof tf.LayersModel) {
      skipWeightGradients(layer);
      continue;
    }
    const cls = layer.getClassName();
    if ((cls !== 'Conv2D' && cls !== 'Dense') || inputGradientLayers.has(layer)) continue;
    inputGradientLayers.add(layer);
    const original = layer.call.bind(layer);
    const affine = layer as unknown as AffineInternals;
    layer.call = (inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor;
      const recording = tf.engine().state.gradientDepth > 0;
      const plain = cls === 'Conv2D' ? x.rank === 4 && affine.dataFormat === 'channelsLast' : x.rank === 2;
      if (!recording || !plain || affine.kernel == null) return original(inputs, kwargs);
      return tf.tidy(() => {
        const w = affine.kernel!.read();
        let y: tf.Tensor =
          cls === 'Conv2D'
            ? tf.conv2d(
                x as tf.Tensor4D,
                w as tf.Tensor4D,
                affine.strides!,
                affine.padding!,
                'NHWC',
                affine.dilationRate,
              )
            : tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D);
        if (affine.bias != null) y = tf.add(y, affine.bias.read());
        return affine.activation.apply(y);
      });
    };
  }
}

/** The forward function of `model`; GraphModels run through `execute`, which tf.grad can trace. */
export function forwardOf(model: AttributionModel): Forward {
  if (typeof model === 'function') return (x) => as2d(model(x), x.shape[0]);
  if (model instanceof tf.LayersModel) {
    const m = logitsOf(model);
    skipWeightGradients(m);
    return (x) => as2d(m.apply(x, { training: false }) as tf.Tensor, x.shape[0]);
  }
  if (model instanceof tf.GraphModel) {
    return (x) => {
      const y = model.execute(x);
      if (!(y instanceof tf.Tensor)) {
        throw new Error('attribution: the GraphModel has several outputs; pass a function (x) => logits instead.');
      }
      return as2d(y, x.shape[0]);
    };
  }
  throw new Error('attribution: model must be a tf.LayersModel, a tf.GraphModel or a function (x) => logits.');
}

/**
 * The values of the tensor `compute` makes inside tf.tidy, read outside it. Returning the typed array from
 * the tidy instead would make tfjs walk it element by element looking for tensors (~0.3 µs per element:
 * seconds for a batch of images).
 */
export function readData(compute: () => tf.Tensor): Float32Array {
  const t = tf.tidy(compute);
  try {
    return t.dataSync() as Float32Array;
  } finally {
    t.dispose();
  }
}

/** Checks the input batch; the message names the problem and the fix. */
export function checkBatch(x: tf.Tensor, where: string): void {
  if (!(x instanceof tf.Tensor)) throw new Error(`${where}: x must be a tf.Tensor batch [N, H, W, C].`);
  if (x.isDisposed) throw new Error(`${where}: the input tensor x is disposed.`);
  if (x.rank !== 4) {
    const hint = x.rank === 3 ? ' (for a single image use x.expandDims(0))' : '';
    throw new Error(`${where}: x has rank ${x.rank}; pass a batch [N, H, W, C]${hint}.`);
  }
  if (x.shape[0] < 1) throw new Error(`${where}: x is an empty batch.`);
  if (x.dtype !== 'float32') throw new Error(`${where}: x has dtype ${x.dtype}; cast it to float32.`);
}

/** Checks a positive integer option. */
export function checkCount(value: number, name: string, where: string, min = 1): number {
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${where}: ${name} must be an integer ≥ ${min}, got ${value}.`);
  }
  return value;
}
