import * as tf from '@tensorflow/tfjs';
import { Attrs, WASM, originalKernel, type WasmHeapBackend } from './kernel-utils';
import { simdConvPool } from './simd';
import { outputFromPool } from './simd/conv-data';

/** Below this many elements the backend's own kernel is as fast (a copy into our memory costs too). */
const MIN_ELEMENTS = 1 << 14;

/**
 * `Sum` for the wasm backend where it reduces every axis but the last — a bias gradient, dy summed over
 * batch, rows and columns: column sums on lrpjs's SIMD module with its threads. The backend's own kernel
 * first transposes the reduced axes innermost, a copy of all of dy (a third of the time of the
 * convolution whose bias it is). Every other reduction goes to the backend's kernel.
 */
function sum(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: Attrs }): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  const attrs = (args.attrs ?? {}) as Attrs;
  const rank = x.shape.length;
  const size = x.shape.reduce((a, b) => a * b, 1);
  const axes = tf.util
    .parseAxisParam((attrs.axis as number | number[] | undefined) ?? [], x.shape)
    .slice()
    .sort((a, b) => a - b);
  const allButLast = rank >= 2 && axes.length === rank - 1 && axes.every((a, i) => a === i);
  const pool = allButLast && x.dtype === 'float32' && size >= MIN_ELEMENTS ? simdConvPool() : null;
  if (pool == null)
    return originalKernel('Sum').kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  const backend = args.backend as unknown as WasmHeapBackend;
  const C = x.shape[rank - 1];
  pool.reset();
  const at = pool.alloc(size);
  pool.f32().set(backend.typedArrayFromHeap(x), at / 4);
  const total = pool.columnSums(at, size / C, C);
  const shape = attrs.keepDims === true ? [...x.shape.slice(0, -1).map(() => 1), C] : [C];
  return outputFromPool(backend, pool, total, shape);
}

export const sumConfig: tf.KernelConfig = {
  kernelName: 'Sum',
  backendName: WASM,
  kernelFunc: sum as unknown as tf.KernelFunc,
};
