import * as tf from '@tensorflow/tfjs';

let nextParamsId = 1;

/**
 * Weights of one linear layer (`kernel` in tfjs layout: Dense `[in, out]`, Conv2D `[kh, kw, in, out]`)
 * plus tensors derived from them (flipped kernels, kernels stacked for one fused backward pass, biases
 * with a stabilizer folded in). Derived tensors are computed once and kept until {@link dispose}: on wasm
 * a reused filter tensor also keeps XNNPACK's packed-weights operator alive, which is most of the speed.
 */
export class Params {
  /** Unique id: keys caches of tensors derived from several parameter sets. */
  readonly id = nextParamsId++;
  private readonly derived = new Map<string, tf.Tensor>();
  private disposed = false;

  /**
   * @param kernel the weights
   * @param bias the bias, `null` when the layer has none
   * @param owned whether {@link dispose} frees `kernel` and `bias` (false for the model's own variables)
   */
  constructor(
    readonly kernel: tf.Tensor,
    readonly bias: tf.Tensor | null,
    private readonly owned: boolean,
  ) {}

  /** Number of output units (last axis of the kernel). */
  get units(): number {
    return this.kernel.shape[this.kernel.rank - 1];
  }

  /** The bias, or zeros when the layer has none. The result is kept by this object. */
  biasOrZeros(): tf.Tensor {
    return this.bias ?? this.derive('zero-bias', () => tf.zeros([this.units]));
  }

  /** A tensor computed from these parameters once, then kept (and freed with them). */
  derive(key: string, make: () => tf.Tensor): tf.Tensor {
    if (this.disposed) throw new Error('lrp: internal error, parameters used after their cache was disposed');
    let t = this.derived.get(key);
    if (t === undefined) {
      t = tf.keep(tf.tidy(make));
      this.derived.set(key, t);
    }
    return t;
  }

  /** Bytes held by this object: derived tensors, plus the kernel and bias when it owns them. */
  bytes(): number {
    let n = 0;
    for (const t of this.derived.values()) n += t.size;
    if (this.owned) n += this.kernel.size + (this.bias?.size ?? 0);
    return n * 4;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const t of this.derived.values()) t.dispose();
    this.derived.clear();
    if (this.owned) {
      this.kernel.dispose();
      this.bias?.dispose();
    }
  }
}
