import * as tf from '@tensorflow/tfjs';
import { gradient, integratedGradients, pixelFlipping } from '../src';
import { maxDiff, useBackend } from './helpers/backend';

beforeAll(() => useBackend('cpu'));

const dim = (...sizes: number[]) => ({ dim: sizes.map((s) => ({ size: String(s) })) });

/** A hand-written TF GraphDef: y = reshape(x, [−1, 4]) · W, W = [[2, 0.5], [−1, 1], [1, −2], [0.5, 3]]. */
async function linearGraphModel(): Promise<tf.GraphModel> {
  const topology = {
    node: [
      { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: dim(-1, 1, 4, 1) } } },
      {
        name: 'shape',
        op: 'Const',
        attr: { value: { tensor: { dtype: 'DT_INT32', tensorShape: dim(2) } }, dtype: { type: 'DT_INT32' } },
      },
      {
        name: 'W',
        op: 'Const',
        attr: { value: { tensor: { dtype: 'DT_FLOAT', tensorShape: dim(4, 2) } }, dtype: { type: 'DT_FLOAT' } },
      },
      {
        name: 'flat',
        op: 'Reshape',
        input: ['x', 'shape'],
        attr: { T: { type: 'DT_FLOAT' }, Tshape: { type: 'DT_INT32' } },
      },
      {
        name: 'y',
        op: 'MatMul',
        input: ['flat', 'W'],
        attr: { T: { type: 'DT_FLOAT' }, transpose_a: { b: false }, transpose_b: { b: false } },
      },
    ],
    versions: { producer: 1 },
  };
  const shape = new Int32Array([-1, 4]);
  const w = new Float32Array([2, 0.5, -1, 1, 1, -2, 0.5, 3]);
  const data = new Uint8Array(shape.byteLength + w.byteLength);
  data.set(new Uint8Array(shape.buffer), 0);
  data.set(new Uint8Array(w.buffer), shape.byteLength);
  const specs = [
    { name: 'shape', shape: [2], dtype: 'int32' as const },
    { name: 'W', shape: [4, 2], dtype: 'float32' as const },
  ];
  return tf.loadGraphModel(
    tf.io.fromMemory({ modelTopology: topology, weightSpecs: specs, weightData: data.buffer, format: 'graph-model' }),
  );
}

test('GraphModels: gradients flow through model.execute', async () => {
  const model = await linearGraphModel();
  const x = tf.tensor4d([1, 2, 3, 4, -1, 0, 2, 1], [2, 1, 4, 1]);
  const g = gradient(model, x, { target: [0, 1] });
  expect(maxDiff(g.relevance.dataSync(), [2, -1, 1, 0.5, 0.5, 1, -2, 3])).toBeLessThan(1e-6);
  const ig = integratedGradients(model, x, { target: [0, 1], steps: 4 });
  expect(maxDiff(ig.relevance.dataSync(), [2, -2, 3, 2, -0.5, 0, -4, 3])).toBeLessThan(1e-5);
  const pf = pixelFlipping(model, x, ig.relevance, { target: [0, 1], steps: 4, patch: 1, replacement: 0 });
  // f_target(x) = 5 and −1.5 unperturbed; with every pixel set to 0 both logits are 0
  expect(pf.morf!.logit[0]).toBeCloseTo((5 + -1.5) / 2, 5);
  expect(pf.morf!.logit[4]).toBeCloseTo(0, 5);
  tf.dispose([x, g.relevance, g.output, ig.relevance, ig.output]);
  model.dispose();
});
