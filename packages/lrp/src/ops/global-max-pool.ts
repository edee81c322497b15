import * as tf from '@tensorflow/tfjs';
import type { LinearOp, OpContext } from '../graph/types';
import type { Params } from '../graph/params';
import { repeatRows } from './repeat';

/** GlobalMaxPooling2D: `[N, H, W, C]` → `[N, C]`; relevance goes to each channel's maximum (ties share it). */
export class GlobalMaxPoolOp implements LinearOp {
  readonly type = 'maxpool' as const;
  readonly params = null;

  withParams(): LinearOp {
    throw new Error('lrp: GlobalMaxPooling2D has no parameters to replace');
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.max(x, [1, 2]);
  }

  backward(s: tf.Tensor, _params: Params | null, ctx: OpContext): tf.Tensor {
    const winners = ctx.memo('winners', () => {
      const [n, , , c] = ctx.input.shape;
      const at = tf.cast(tf.equal(ctx.input, tf.reshape(ctx.output, [n, 1, 1, c])), 'float32');
      return tf.div(at, tf.sum(at, [1, 2], true));
    });
    const [m, c] = s.shape;
    return tf.mul(repeatRows(winners, ctx.repeats), tf.reshape(s, [m, 1, 1, c]));
  }

  backwardMany(s: tf.Tensor, params: Params[], ctx: OpContext): tf.Tensor[] {
    return params.map(() => this.backward(s, null, ctx));
  }
}
