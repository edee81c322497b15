/**
 * Analytic FLOP counts (1 multiply-add = 2 FLOPs) of the convolutions and dense layers, the only
 * layers whose cost matters here; ReLU, pooling, bias and the loss are left out. Both sides are
 * divided by the same counts, so GFLOP/s compares like with like.
 */

/** One linear layer as the FLOP count sees it. */
export interface LinearLayerCost {
  name: string;
  /** FLOPs of its forward pass for one example. */
  forward: number;
}

/** A `k×k` convolution producing `outH×outW×outC` from `inC` channels: 2·outH·outW·outC·kh·kw·inC. */
export function convFlops(outH: number, outW: number, outC: number, kh: number, kw: number, inC: number): number {
  return 2 * outH * outW * outC * kh * kw * inC;
}

/** The tutorial's net1 on `size×size×3` inputs (4 convolutions, 'same' 5×5 ones, then the `size/8` valid top conv). */
export function net1Layers(numClasses: number, size = 64): LinearLayerCost[] {
  return [
    { name: 'conv1', forward: convFlops(size, size, 10, 5, 5, 3) },
    { name: 'conv2', forward: convFlops(size / 2, size / 2, 25, 5, 5, 10) },
    { name: 'conv3', forward: convFlops(size / 4, size / 4, 100, 5, 5, 25) },
    { name: 'conv4', forward: convFlops(1, 1, numClasses, size / 8, size / 8, 100) },
  ];
}

/** VGG-16's first 17 layers (7 same-padded 3×3 convolutions) on `size×size×3` inputs. */
export function vgg17Layers(size = 64): LinearLayerCost[] {
  const plan: [string, number, number, number][] = [
    // name, spatial divisor, inC, outC
    ['block1_conv1', 1, 3, 64],
    ['block1_conv2', 1, 64, 64],
    ['block2_conv1', 2, 64, 128],
    ['block2_conv2', 2, 128, 128],
    ['block3_conv1', 4, 128, 256],
    ['block3_conv2', 4, 256, 256],
    ['block3_conv3', 4, 256, 256],
  ];
  return plan.map(([name, div, inC, outC]) => ({ name, forward: convFlops(size / div, size / div, outC, 3, 3, inC) }));
}

/** net3's shape: VGG-17 then the `size/8` valid top conv from 256 channels to the classes. */
export function net3Layers(numClasses: number, size = 64): LinearLayerCost[] {
  return [...vgg17Layers(size), { name: 'top_conv', forward: convFlops(1, 1, numClasses, size / 8, size / 8, 256) }];
}

const sum = (layers: LinearLayerCost[]): number => layers.reduce((s, l) => s + l.forward, 0);

/** Forward pass of one example. */
export function forwardFlops(layers: LinearLayerCost[]): number {
  return sum(layers);
}

/**
 * One SGD step on `batch` examples: forward, the weight gradient (same cost as the forward) and
 * the input gradient (same again) of every layer but the first, whose input needs no gradient.
 */
export function trainStepFlops(layers: LinearLayerCost[], batch: number): number {
  return batch * (3 * sum(layers) - (layers[0]?.forward ?? 0));
}

/**
 * The tutorial's LRP for one example: the forward pass, then per layer one forward with the
 * modified weights (z) and one input gradient (c); the first layer (z^B rule) runs three forwards
 * (input, low and high bounds) and three gradients. Total 3·Σ + 4·first.
 */
export function lrpFlops(layers: LinearLayerCost[]): number {
  return 3 * sum(layers) + 4 * (layers[0]?.forward ?? 0);
}

/**
 * The same counts read off a tfjs model (any graph): Conv2D and Dense layers, from their built
 * kernel and output shapes, in the model's layer order (the first one gets the z^B rule).
 * Structural typing keeps this file free of a tfjs import.
 */
export function modelLinearLayers(model: {
  layers: { name: string; getClassName(): string; outputShape: unknown; getWeights(): { shape: number[] }[] }[];
}): LinearLayerCost[] {
  const out: LinearLayerCost[] = [];
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls !== 'Conv2D' && cls !== 'Dense') continue;
    const kernel = layer.getWeights()[0]?.shape;
    const shape = layer.outputShape as (number | null)[];
    if (!kernel) continue;
    if (cls === 'Conv2D') {
      const [kh, kw, inC, outC] = kernel;
      out.push({ name: layer.name, forward: convFlops(shape[1] as number, shape[2] as number, outC, kh, kw, inC) });
    } else {
      const [inF, outF] = kernel;
      out.push({ name: layer.name, forward: 2 * inF * outF });
    }
  }
  return out;
}
