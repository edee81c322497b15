import * as tf from '@tensorflow/tfjs';
import type { LinearOp, LinearType, OpContext } from '../graph/types';
import type { Params } from '../graph/params';

/** How a weighted layer computes its output from an input, a kernel and a bias. */
export type LinearForward = (x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | null) => tf.Tensor;

/** Options of {@link GradientLinearOp}. */
export interface GradientLinearOpOptions {
  /** What rules see the layer as. Default 'conv'. */
  type?: LinearType;
  /** The layer's computation, linear in x for a fixed kernel (bias added at the end). */
  forward: LinearForward;
}

/**
 * A linear layer known only by its forward computation (zennit's approach): rules re-apply it with
 * their modified weights, and its transpose is the gradient of that forward pass with respect to its
 * input. A new layer type needs no hand-written transpose; it runs where the backend has the
 * forward op's gradient kernels.
 */
export class GradientLinearOp implements LinearOp {
  readonly type: LinearType;

  constructor(
    readonly params: Params,
    private readonly options: GradientLinearOpOptions,
  ) {
    this.type = options.type ?? 'conv';
  }

  withParams(params: Params): GradientLinearOp {
    return new GradientLinearOp(params, this.options);
  }

  forward(x: tf.Tensor, params: Params | null, bias?: tf.Tensor): tf.Tensor {
    const p = params ?? this.params;
    return this.options.forward(x, p.kernel, bias ?? p.bias);
  }

  backward(s: tf.Tensor, params: Params | null, ctx: OpContext): tf.Tensor {
    const p = params ?? this.params;
    // The forward pass without bias is linear in x, so its vector-Jacobian product at any point (zero)
    // is Σ_k w_jk s_k for every input unit j.
    const at = tf.zeros([s.shape[0], ...ctx.input.shape.slice(1)]);
    return tf.grad((x: tf.Tensor) => this.options.forward(x, p.kernel, null))(at, s);
  }

  backwardMany(s: tf.Tensor, params: Params[], ctx: OpContext): tf.Tensor[] {
    return params.map((p) => this.backward(s, p, ctx));
  }
}
