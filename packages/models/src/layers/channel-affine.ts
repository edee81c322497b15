import * as tf from '@tensorflow/tfjs';

/** Base layer options of tfjs (name, inputShape, ...), without importing tfjs-layers' internals. */
type BaseLayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Serialized configuration of {@link ChannelAffine} (what `getConfig()` returns and LRP reads). */
export interface ChannelAffineConfig {
  /** Per output channel factor; its length is the number of output channels. */
  scale: number[];
  /** Per output channel increment; same length as `scale`. */
  offset: number[];
  /**
   * Optional input channel read by each output channel: `y[..., c] = x[..., permutation[c]] * ...`.
   * Default: identity (output channel c reads input channel c).
   */
  permutation?: number[];
}

export type ChannelAffineArgs = ChannelAffineConfig & BaseLayerArgs;

function assertFiniteArray(name: string, values: unknown): asserts values is number[] {
  if (!Array.isArray(values) || values.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw new Error(`ChannelAffine: ${name} must be an array of finite numbers, got ${JSON.stringify(values)}`);
  }
}

/**
 * Per-channel affine map with an optional channel permutation:
 * `y[..., c] = x[..., permutation ? permutation[c] : c] * scale[c] + offset[c]`.
 *
 * It makes input preprocessing (RGB→BGR, mean subtraction, rescaling) an explicit, linear layer of
 * the model, so the model's input stays the tutorial's `pixel * 3 - 1.5` and LRP can carry relevance
 * and the z^B input bounds through it. It has no weights: the constants live in the config, so the
 * layer survives `model.save` / `loadLayersModel` (registered with `tf.serialization`).
 */
export class ChannelAffine extends tf.layers.Layer {
  static className = 'ChannelAffine';

  readonly scale: number[];
  readonly offset: number[];
  readonly permutation?: number[];

  constructor(args: ChannelAffineArgs) {
    super(args);
    assertFiniteArray('scale', args.scale);
    assertFiniteArray('offset', args.offset);
    if (args.scale.length === 0 || args.scale.length !== args.offset.length) {
      throw new Error(
        `ChannelAffine: scale (${args.scale.length}) and offset (${args.offset.length}) must be non-empty and of equal length, one entry per output channel`,
      );
    }
    if (args.permutation !== undefined && args.permutation !== null) {
      const p = args.permutation;
      if (!Array.isArray(p) || p.length !== args.scale.length || p.some((i) => !Number.isInteger(i) || i < 0)) {
        throw new Error(
          `ChannelAffine: permutation must list one non-negative integer input channel per output channel (${
            args.scale.length
          }), got ${JSON.stringify(p)}`,
        );
      }
      this.permutation = [...p];
    }
    this.scale = [...args.scale];
    this.offset = [...args.offset];
    this.trainable = false;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[shape.length - 1];
    if (channels != null) {
      if (this.permutation) {
        const bad = this.permutation.find((i) => i >= channels);
        if (bad !== undefined) {
          throw new Error(
            `ChannelAffine: permutation reads input channel ${bad} but the input has ${channels} channels`,
          );
        }
      } else if (channels !== this.scale.length) {
        throw new Error(
          `ChannelAffine: input has ${channels} channels but scale/offset have ${this.scale.length}; give one entry per channel or a permutation`,
        );
      }
    }
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [...shape.slice(0, -1), this.scale.length];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const rank = x.rank;
      const permuted = this.permutation ? tf.gather(x, this.permutation, rank - 1) : x;
      return tf.add(tf.mul(permuted, tf.tensor1d(this.scale)), tf.tensor1d(this.offset));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = { scale: [...this.scale], offset: [...this.offset] };
    if (this.permutation) config.permutation = [...this.permutation];
    return { ...super.getConfig(), ...config };
  }
}

tf.serialization.registerClass(ChannelAffine);

/** Creates a {@link ChannelAffine} layer (functional-API style, like `tf.layers.dense`). */
export function channelAffine(args: ChannelAffineArgs): ChannelAffine {
  return new ChannelAffine(args);
}
