import * as tf from '@tensorflow/tfjs';
import { prepare, result } from '../grad';
import type { AttributionOptions, AttributionResult } from '../types';

export interface GradCamOptions extends AttributionOptions {
  /**
   * Name of the layer whose feature maps are weighted. Default: the last convolution with a spatial output larger
   * than 1×1, read after its ReLU when that is a layer of its own.
   */
  layer?: string;
}

export interface GradCamResult extends AttributionResult {
  /** The map at the layer's resolution, `[N, h, w]` (after the ReLU). The caller disposes it. */
  map: tf.Tensor3D;
  /** The layer used. */
  layer: string;
}

const CONV = /Conv2D$/;

/** The layer Grad-CAM reads by default: the last convolution whose output is still an image (after its ReLU layer, if any). */
export function defaultCamLayer(model: tf.LayersModel): string {
  const convs = model.layers.filter((l) => {
    const shape = l.outputShape as (number | null)[];
    return (
      CONV.test(l.getClassName()) && Array.isArray(shape) && shape.length === 4 && (shape[1]! > 1 || shape[2]! > 1)
    );
  });
  if (convs.length === 0) {
    throw new Error('gradCam: the model has no convolution layer with a spatial output; name one with { layer }.');
  }
  const conv = convs[convs.length - 1];
  // Grad-CAM weighs rectified feature maps: a conv whose ReLU is its own next layer is read after that ReLU.
  const next = model.layers[model.layers.indexOf(conv) + 1];
  const relu =
    next &&
    next.inboundNodes.some((node) => node.inboundLayers.includes(conv)) &&
    (next.getClassName() === 'ReLU' ||
      (next.getClassName() === 'Activation' && (next.getConfig() as { activation?: string }).activation === 'relu'));
  return relu ? next.name : conv.name;
}

type Callable = { call: (inputs: tf.Tensor | tf.Tensor[], kwargs: unknown) => tf.Tensor | tf.Tensor[] };

/**
 * Grad-CAM (Selvaraju et al. 2017): the feature maps A_k of a convolution layer weighted by the mean
 * gradient of the target logit over each map, α_k = mean_ij ∂y/∂A_k,ij, then ReLU(Σ_k α_k A_k),
 * upsampled bilinearly (half-pixel centres, as PyTorch's align_corners=False) to the input size.
 * `relevance` spreads the map evenly over the input channels, so its channel sum is the map.
 * LayersModels only (the layer is addressed by name).
 */
export function gradCam(model: tf.LayersModel, x: tf.Tensor4D, options: GradCamOptions): GradCamResult {
  if (!(model instanceof tf.LayersModel))
    throw new Error('gradCam: needs a tf.LayersModel (the layer is found by name).');
  const name = options.layer ?? defaultCamLayer(model);
  let layer: tf.layers.Layer;
  try {
    layer = model.getLayer(name);
  } catch {
    const convs = model.layers.filter((l) => CONV.test(l.getClassName())).map((l) => l.name);
    throw new Error(`gradCam: the model has no layer '${name}'; its convolution layers are ${convs.join(', ')}.`);
  }
  const p = prepare(model, x, options, 'gradCam');
  const target = layer as unknown as Callable;
  const original = target.call;
  try {
    const { map, relevance } = tf.tidy(() => {
      const features = tf.model({ inputs: model.inputs, outputs: layer.output as tf.SymbolicTensor });
      const a = features.apply(x, { training: false }) as tf.Tensor4D;
      if (a.rank !== 4) throw new Error(`gradCam: layer '${name}' does not output feature maps [N, h, w, k].`);
      // ∂y/∂A through an added zero: the layer's output becomes A + D, and the gradient w.r.t. D is ∂y/∂A.
      const grads = tf.grad((d: tf.Tensor) => {
        target.call = (inputs, kwargs) => tf.add(original.call(layer, inputs, kwargs) as tf.Tensor, d);
        try {
          return tf.sum(tf.mul(p.forward(x), p.mask));
        } finally {
          target.call = original;
        }
      })(tf.zerosLike(a));
      const alpha = tf.mean(grads, [1, 2], true);
      const cam = tf.relu(tf.sum(tf.mul(alpha, a), 3, true)) as tf.Tensor4D;
      const [, h, w, c] = x.shape;
      const up = tf.image.resizeBilinear(cam, [h, w], false, true);
      return { map: tf.squeeze(cam, [3]) as tf.Tensor3D, relevance: tf.div(tf.tile(up, [1, 1, 1, c]), c) };
    });
    return { ...result(relevance, p), map, layer: name };
  } catch (e) {
    p.output.dispose();
    throw e;
  } finally {
    target.call = original;
    p.release();
  }
}
