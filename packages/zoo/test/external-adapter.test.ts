/**
 * A weighted layer LRP does not know, taught to it from outside the package: everything comes from the
 * public entry '@lrpjs/lrp' (registerLayerAdapter, Params, GradientLinearOp). The custom layer's
 * relevance equals that of the same network written with a plain Dense layer.
 */
import * as tf from '@tensorflow/tfjs';
import {
  GradientLinearOp,
  Params,
  composite,
  epsilon,
  explain,
  gamma,
  lrp0,
  registerLayerAdapter,
  supportedLayerClasses,
  type LayerAdapter,
} from '@lrpjs/lrp';

/** y = x·(2W) + b: a Dense layer with a doubled kernel, as an application might define one. */
class DoubledDense extends tf.layers.Layer {
  static readonly className = 'DoubledDense';
  kernel!: tf.LayerVariable;
  bias!: tf.LayerVariable;

  constructor(readonly units: number) {
    super({});
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = inputShape as tf.Shape;
    this.kernel = this.addWeight(
      'kernel',
      [shape[shape.length - 1] as number, this.units],
      'float32',
      tf.initializers.glorotNormal({ seed: 5 }),
    );
    this.bias = this.addWeight('bias', [this.units], 'float32', tf.initializers.randomNormal({ stddev: 0.1, seed: 6 }));
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape): tf.Shape {
    return [inputShape[0], this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.add(tf.matMul(x as tf.Tensor2D, tf.mul(this.kernel.read(), 2) as tf.Tensor2D), this.bias.read());
  }

  override getClassName(): string {
    return DoubledDense.className;
  }
}

/** The adapter an application writes: the layer's weights and its forward computation, nothing else. */
const doubledDenseAdapter: LayerAdapter = (layer, inputs, builder, name) => {
  const l = layer as unknown as DoubledDense;
  return builder.add({
    kind: 'linear',
    name,
    layerName: name,
    className: 'DoubledDense',
    inputs,
    op: new GradientLinearOp(new Params(l.kernel.read(), l.bias.read(), false), {
      type: 'dense',
      forward: (x, kernel, bias) => {
        const y = tf.matMul(x as tf.Tensor2D, tf.mul(kernel, 2) as tf.Tensor2D);
        return bias ? tf.add(y, bias) : y;
      },
    }),
    activation: null,
  });
};

describe('a layer registered from outside the package', () => {
  it('explains as the same network with a plain Dense layer', async () => {
    await tf.setBackend('cpu');
    registerLayerAdapter('DoubledDense', doubledDenseAdapter);
    expect(supportedLayerClasses()).toContain('DoubledDense');
    const custom = new DoubledDense(5);
    const hidden = () =>
      tf.layers.dense({ units: 6, activation: 'relu', kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }) });
    const a = tf.sequential({
      layers: [
        tf.layers.inputLayer({ inputShape: [4] }),
        hidden(),
        custom,
        tf.layers.reLU(),
        tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }) }),
      ],
    });
    const plain = tf.layers.dense({ units: 5 });
    const b = tf.sequential({
      layers: [
        tf.layers.inputLayer({ inputShape: [4] }),
        hidden(),
        plain,
        tf.layers.reLU(),
        tf.layers.dense({ units: 3 }),
      ],
    });
    const [, hiddenA, , , topA] = a.layers;
    const [, hiddenB, , , topB] = b.layers;
    hiddenB.setWeights(hiddenA.getWeights());
    const [k, bias] = custom.getWeights();
    const doubled = tf.mul(k, 2);
    plain.setWeights([doubled, bias]);
    topB.setWeights(topA.getWeights());
    const x = tf.randomUniform([3, 4], -1, 1, 'float32', 7);
    const [ya, yb] = [a.predict(x) as tf.Tensor, b.predict(x) as tf.Tensor];
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(ya, yb))).dataSync()[0])).toBeLessThanOrEqual(1e-5);
    tf.dispose([ya, yb]);
    for (const rule of [lrp0(), epsilon({ epsilon: 0.01 }), gamma({ gamma: 0.25 })]) {
      const c = composite({ rules: [{ match: () => true, rule }] });
      const ra = explain(a, x, { target: 'predicted', composite: c });
      const rb = explain(b, x, { target: 'predicted', composite: c });
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(ra.relevance, rb.relevance))).dataSync()[0]);
      const scale = tf.tidy(() => tf.max(tf.abs(rb.relevance)).dataSync()[0]);
      expect(scale).toBeGreaterThan(0);
      expect(diff).toBeLessThanOrEqual(1e-5 * scale);
      tf.dispose([ra.relevance, ra.output, rb.relevance, rb.output]);
    }
    tf.dispose([x, doubled]);
    a.dispose();
    b.dispose();
  });
});
