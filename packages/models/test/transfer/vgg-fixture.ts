// Writes a small stand-in for keras.applications' vgg16 "notop" weights file: the real group,
// dataset and attribute layout and the real kernel shapes of block1..block3, deterministic values.
import { writeKerasH5Weights, type H5LayerToWrite } from '../../src/transfer/hdf5';
import { VGG16_FEATURE_LAYERS, vgg16KernelShapes, type Vgg16Weights } from '../../src/transfer/vgg16';

/** Deterministic uniform numbers in [-1, 1) (mulberry32). */
export function uniform(count: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 2147483648 - 1;
  }
  return out;
}

export type KerasLayout = 'keras1' | 'keras2';

/** Writes the fixture and returns the weights it holds. */
export async function writeVggFixture(file: string, layout: KerasLayout = 'keras1', seed = 1): Promise<Vgg16Weights> {
  const weights: Vgg16Weights = {};
  const shapes = vgg16KernelShapes();
  const layers: H5LayerToWrite[] = [{ name: 'input_1', weights: [] }];
  let i = 0;
  for (const spec of VGG16_FEATURE_LAYERS) {
    const shape = shapes.get(spec.name);
    if (!shape) {
      layers.push({ name: spec.name, weights: [] });
      continue;
    }
    i += 1;
    const fanOut = shape[0] * shape[1] * shape[3];
    // Variance 2/fan_out, as torchvision's VGG init, so the features have a realistic scale.
    const kernel = uniform(
      shape.reduce((a, b) => a * b, 1),
      seed * 1000 + i,
    ).map((v) => v * Math.sqrt(6 / fanOut));
    const bias = uniform(shape[3], seed * 1000 + 100 + i).map((v) => v * 0.1);
    weights[spec.name] = { kernel, bias };
    const [kName, bName] =
      layout === 'keras1'
        ? [`${spec.name}_W_1:0`, `${spec.name}_b_1:0`]
        : [`${spec.name}/kernel:0`, `${spec.name}/bias:0`];
    layers.push({
      name: spec.name,
      weights: [
        { name: kName, shape, values: kernel },
        { name: bName, shape: [shape[3]], values: bias },
      ],
    });
  }
  layers.push({ name: 'block4_pool', weights: [] });
  await writeKerasH5Weights(file, layers);
  return weights;
}
