import * as tf from '@tensorflow/tfjs';
import type { LinearOp, OpContext } from '../graph/types';
import type { Params } from '../graph/params';
import { splitLastAxis } from './split';

/** Dense (kernel `[in, out]`) as a linear op; inputs of rank > 2 act on the last axis, as in tfjs. */
export class DenseOp implements LinearOp {
  readonly type = 'dense' as const;

  constructor(readonly params: Params) {}

  withParams(params: Params): DenseOp {
    return new DenseOp(params);
  }

  forward(x: tf.Tensor, params: Params | null, bias?: tf.Tensor): tf.Tensor {
    const p = params ?? this.params;
    const [units] = p.kernel.shape.slice(-1);
    const x2 = x.rank === 2 ? (x as tf.Tensor2D) : tf.reshape(x, [-1, x.shape[x.rank - 1]]);
    const y = tf.fused.matMul({ a: x2 as tf.Tensor2D, b: p.kernel as tf.Tensor2D, bias: bias ?? p.bias ?? undefined });
    return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), units]);
  }

  backward(s: tf.Tensor, params: Params | null, ctx: OpContext): tf.Tensor {
    return this.backwardMany(s, [params ?? this.params], ctx)[0];
  }

  backwardMany(s: tf.Tensor, params: Params[], ctx: OpContext): tf.Tensor[] {
    void ctx;
    const units = s.shape[s.rank - 1];
    const s2 = s.rank === 2 ? (s as tf.Tensor2D) : tf.reshape(s, [-1, units]);
    // Kernels stacked along the input axis: one matmul gives Σ_k ρ(w_jk) s_k for every set.
    const kernel =
      params.length === 1
        ? params[0].kernel
        : params[0].derive(`stack:${params.map((p) => p.id).join(',')}`, () =>
            tf.concat(
              params.map((p) => p.kernel),
              0,
            ),
          );
    const c = tf.matMul(s2, kernel as tf.Tensor2D, false, true);
    const parts = params.length === 1 ? [c] : splitLastAxis(c, params.length);
    return s.rank === 2 ? parts : parts.map((t) => tf.reshape(t, [...s.shape.slice(0, -1), t.shape[1] as number]));
  }
}
