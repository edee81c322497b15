import * as tf from '@tensorflow/tfjs';

/**
 * Stand-in for @lrpjs/models' ChannelAffine (same class name and config, per CONTRACTS.md):
 * y[..., c] = x[..., permutation ? permutation[c] : c] · scale[c] + offset[c]. LRP reads it by class
 * name and config only, so the test does not import @lrpjs/models.
 */
export class TestChannelAffine extends tf.layers.Layer {
  static className = 'ChannelAffine';
  readonly scale: number[];
  readonly offset: number[];
  readonly permutation?: number[];

  constructor(args: { scale: number[]; offset: number[]; permutation?: number[]; inputShape?: number[] }) {
    super(args);
    this.scale = args.scale;
    this.offset = args.offset;
    this.permutation = args.permutation;
  }

  override computeOutputShape(shape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = shape as tf.Shape;
    return [...s.slice(0, -1), this.scale.length];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const p = this.permutation ? tf.gather(x, this.permutation, x.rank - 1) : x;
      return tf.add(tf.mul(p, tf.tensor1d(this.scale)), tf.tensor1d(this.offset));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      scale: this.scale,
      offset: this.offset,
      ...(this.permutation ? { permutation: this.permutation } : {}),
    };
  }
}
tf.serialization.registerClass(TestChannelAffine);
