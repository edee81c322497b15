import * as tf from '@tensorflow/tfjs';
import { Params } from '../graph/params';
import type { Graph, LinearNode, LinearOp, OpContext } from '../graph/types';
import type { Bound, LayerInfo, ParamModifier, RuleContext, Stabilizer } from '../rules/types';
import { plainEpsilon, stabilize } from '../rules/stabilizer';
import { repeatRows } from '../ops/repeat';
import { boundTensor, mapInputBounds } from '../canonizers/input-bounds';
import type { NodeCache } from './cache';

function boundId(b: Bound): string {
  return typeof b === 'number' || Array.isArray(b) ? JSON.stringify(b) : `t${(b as { id: number }).id}`;
}

/** The {@link RuleContext} of one linear node in one explain call. */
export class LinearRuleContext implements RuleContext, OpContext {
  private cachedOutput: tf.Tensor | null;
  private readonly memos = new Map<string, unknown>();

  private readonly graph: Graph;
  private readonly node: LinearNode;
  private readonly op: LinearOp;
  private readonly cache: NodeCache;
  private readonly imageShape: number[];
  readonly layer: LayerInfo;
  readonly input: tf.Tensor;
  readonly repeats: number;

  constructor(args: {
    graph: Graph;
    node: LinearNode;
    layer: LayerInfo;
    /** The op rules see (the node's own, or average pooling for max pooling treated as such). */
    op: LinearOp;
    input: tf.Tensor;
    /** The node's output in the forward pass. */
    forwardOutput: tf.Tensor;
    repeats: number;
    cache: NodeCache;
    /** Shape of one model input image in this call. */
    imageShape: number[];
  }) {
    ({ graph: this.graph, node: this.node, op: this.op, cache: this.cache, imageShape: this.imageShape } = args);
    ({ layer: this.layer, input: this.input, repeats: this.repeats } = args);
    // The forward pass already holds this op's output unless rules see another op (max as average).
    this.cachedOutput = args.op === args.node.op ? args.forwardOutput : null;
  }

  get output(): tf.Tensor {
    if (this.cachedOutput === null) this.cachedOutput = this.op.forward(this.input, this.op.params);
    return this.cachedOutput;
  }

  get inputNonNegative(): boolean {
    return this.layer.inputNonNegative;
  }

  get ownParams(): Params | null {
    return this.op.params;
  }

  repeat<T extends tf.Tensor>(t: T): T {
    return repeatRows(t, this.repeats);
  }

  memo<T>(key: string, make: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, make());
    return this.memos.get(key) as T;
  }

  params(key: string, rho: ParamModifier): Params | null {
    const own = this.op.params;
    if (own === null) return null;
    let p = this.cache.params.get(key);
    if (p === undefined) {
      // A ρ that returns its argument must not make the cache own (and later free) the model's weights.
      const fresh = (t: tf.Tensor, orig: tf.Tensor) => (t === orig ? tf.clone(t) : t);
      const kernel = tf.keep(tf.tidy(() => fresh(rho(own.kernel, 'kernel') ?? tf.zerosLike(own.kernel), own.kernel)));
      const bias = own.bias
        ? tf.tidy(() => {
            const b = rho(own.bias!, 'bias');
            return b === null ? tf.scalar(0) : fresh(b, own.bias!);
          })
        : null;
      // A dropped bias comes back as a scalar placeholder from tidy (which cannot return null).
      const keptBias = bias === null || bias.rank === 0 ? (bias?.dispose(), null) : tf.keep(bias);
      p = new Params(kernel, keptBias, true);
      this.cache.params.set(key, p);
    }
    return p;
  }

  forward(x: tf.Tensor, params: Params | null, stabilizer?: Stabilizer, withBias = true): tf.Tensor {
    const own = params === null || params === this.op.params;
    const eps = plainEpsilon(stabilizer);
    const dropsBias = !withBias && params !== null && params.bias !== null;
    if (x === this.input && own && !dropsBias) {
      const z = this.output;
      return stabilizer === undefined ? z : stabilize(z, stabilizer);
    }
    if (params !== null && (eps !== null || dropsBias)) {
      // A dropped bias or z + ε folded into the bias: one fused op, and a bias tensor that stays the same
      // between calls.
      const base = withBias ? 'bias' : 'no-bias';
      const bias = params.derive(`${base}+${eps ?? 0}`, () =>
        withBias ? tf.add(params.biasOrZeros(), eps ?? 0) : tf.fill([params.units], eps ?? 0),
      );
      return this.op.forward(x, params, bias);
    }
    const z = this.op.forward(x, params);
    return stabilizer === undefined ? z : stabilize(z, stabilizer);
  }

  backward(s: tf.Tensor, params: Params | null): tf.Tensor {
    return this.op.backward(s, params, this);
  }

  backwardMany(s: tf.Tensor, params: Params[]): tf.Tensor[] {
    return this.op.backwardMany(s, params, this);
  }

  constant(key: string, make: () => tf.Tensor): tf.Tensor {
    const k = `${key}|${this.input.shape.slice(1).join('x')}`;
    let t = this.cache.constants.get(k);
    if (t === undefined) {
      t = tf.keep(tf.tidy(make));
      this.cache.constants.set(k, t);
    }
    return t;
  }

  bounds(low: Bound, high: Bound, space: 'input' | 'layer'): { low: tf.Tensor; high: tf.Tensor } {
    const key = `bounds:${space}:${boundId(low)}:${boundId(high)}`;
    if (space === 'layer') {
      const shape = this.input.shape.slice(1);
      return {
        low: this.constant(`${key}:low`, () => boundTensor(low, shape)),
        high: this.constant(`${key}:high`, () => boundTensor(high, shape)),
      };
    }
    const imageShape = this.imageShape;
    const mapped = () => mapInputBounds(this.graph, this.node, low, high, imageShape);
    return {
      low: this.constant(`${key}:low:${imageShape.join('x')}`, () => mapped().low),
      high: this.constant(`${key}:high:${imageShape.join('x')}`, () => mapped().high),
    };
  }
}
