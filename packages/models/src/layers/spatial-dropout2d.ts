import * as tf from '@tensorflow/tfjs';
import { Rng, createRng } from '../rng';

export interface SpatialDropout2DArgs {
  /** Probability of dropping a channel, in [0, 1). PyTorch's `Dropout2d` default is 0.5. */
  rate: number;
  /** Seed of the layer's own generator (reproducible masks). Default: random. */
  seed?: number;
  name?: string;
  inputShape?: tf.Shape;
  batchInputShape?: tf.Shape;
  trainable?: boolean;
}

/**
 * Channel-wise dropout for channels-last 4-D input (PyTorch's `nn.Dropout2d`, Keras's
 * `SpatialDropout2D`): in training, each (example, channel) feature map is zeroed as a whole with
 * probability `rate` and the kept ones are scaled by 1 / (1 − rate); at inference it is the identity.
 *
 * Masks come from the layer's own seeded generator rather than tfjs's global random state, so a seeded
 * training run is reproducible. The mask is tiny (N × C values) and built on the JS side.
 */
export class SpatialDropout2D extends tf.layers.Layer {
  static readonly className = 'SpatialDropout2D';
  readonly rate: number;
  readonly seed: number | undefined;
  private rng: Rng;

  constructor(args: SpatialDropout2DArgs) {
    super(args);
    if (!(args.rate >= 0 && args.rate < 1)) {
      throw new Error(`SpatialDropout2D rate must be in [0, 1), got ${args.rate}.`);
    }
    this.rate = args.rate;
    this.seed = args.seed;
    this.rng = createRng(args.seed);
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      if (x.rank !== 4) throw new Error(`SpatialDropout2D expects 4-D NHWC input, got rank ${x.rank}.`);
      if (!kwargs?.training || this.rate === 0) return x.clone();
      const [n, , , c] = x.shape;
      const keep = 1 - this.rate;
      const mask = new Float32Array(n * c);
      for (let i = 0; i < mask.length; i++) mask[i] = this.rng.next() < keep ? 1 / keep : 0;
      return tf.mul(x, tf.tensor4d(mask, [n, 1, 1, c]));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = { rate: this.rate };
    if (this.seed !== undefined) config.seed = this.seed;
    return { ...config, ...super.getConfig() };
  }
}

tf.serialization.registerClass(SpatialDropout2D);

/** Creates a {@link SpatialDropout2D} layer (factory in the style of `tf.layers.*`). */
export function spatialDropout2d(args: SpatialDropout2DArgs): SpatialDropout2D {
  return new SpatialDropout2D(args);
}
