import type * as tf from '@tensorflow/tfjs';
import { createRng, sampleWithoutReplacement } from './rng';

/** A training batch as plain arrays: NHWC images and one-hot labels. */
export interface Batch {
  x: Float32Array;
  shape: [number, number, number, number];
  oneHot: Float32Array;
  numClasses: number;
}

/**
 * Draws batches as the tutorial does (a fresh permutation prefix each step, seeded). The returned batch's
 * arrays are reused by the next call. Batches are assembled on the JS side from one copy of the training
 * images: tfjs-backend-wasm's GatherV2 took ~20 ms for 25 images of 64×64×3 (as long as a convolution), a
 * JS copy ~0.3 ms.
 */
export async function createBatchSampler(
  xTrain: tf.Tensor4D,
  yTrain: ArrayLike<number>,
  numClasses: number,
  batchSize: number,
  seed: number,
): Promise<{ next(): Batch }> {
  const [n, h, w, c] = xTrain.shape;
  const perExample = h * w * c;
  const xData = (await xTrain.data()) as Float32Array;
  const labels = Int32Array.from(yTrain);
  const rng = createRng(seed);
  const pool = Int32Array.from({ length: n }, (_, i) => i);
  const picked = new Int32Array(batchSize);
  const batch: Batch = {
    x: new Float32Array(batchSize * perExample),
    shape: [batchSize, h, w, c],
    oneHot: new Float32Array(batchSize * numClasses),
    numClasses,
  };
  return {
    next() {
      sampleWithoutReplacement(rng, pool, batchSize, picked);
      batch.oneHot.fill(0);
      for (let b = 0; b < batchSize; b++) {
        batch.oneHot[b * numClasses + labels[picked[b]]] = 1;
        batch.x.set(xData.subarray(picked[b] * perExample, (picked[b] + 1) * perExample), b * perExample);
      }
      return batch;
    },
  };
}
