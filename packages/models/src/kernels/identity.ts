import * as tf from '@tensorflow/tfjs';
import { WASM, originalKernel } from './kernel-utils';

/**
 * `Identity` for the wasm backend without a copy: the output shares the input's data, as the backend's
 * own `Reshape` does (tfjs never writes into a tensor's data, and the backend counts references). The
 * backend's kernel copies the whole tensor — tfjs's gradients call it for every `add` whose input needs no
 * broadcasting, 31 copies per net1 training step (3 % of it). Strings keep the backend's kernel.
 */
function identity(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend }): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  if (x.dtype === 'string')
    return originalKernel('Identity').kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  args.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export const identityConfig: tf.KernelConfig = {
  kernelName: 'Identity',
  backendName: WASM,
  kernelFunc: identity as unknown as tf.KernelFunc,
};
