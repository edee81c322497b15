import * as tf from '@tensorflow/tfjs';
import { backendInfo, selectBackend } from '../src';

describe('selectBackend', () => {
  test("'auto' in Node skips an unavailable tfjs-node and starts multi-threaded wasm; idempotent", async () => {
    const name = await selectBackend();
    // tfjs-node is not a dependency of this package (it is the CLI's optional one), so it cannot load here.
    expect(name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const info = backendInfo()!;
    expect(info.skipped.map((s) => s.name)).toEqual(['tensorflow']);
    expect(info.skipped[0].reason).toMatch(/tfjs-node/);
    expect(info.backendVersion).toBe(tf.version.tfjs);
    expect(info.simd).toBe(true);
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect(info.customKernels).toEqual(
      expect.arrayContaining(['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad']),
    );
    expect(await selectBackend({ backend: 'auto' })).toBe('wasm');
    expect(await selectBackend({ backend: 'wasm' })).toBe('wasm');
    // The threaded build computes correctly.
    const y = tf.tidy(() =>
      tf.conv2d(tf.ones([1, 6, 6, 2]) as tf.Tensor4D, tf.ones([3, 3, 2, 4]) as tf.Tensor4D, 1, 'same').dataSync(),
    );
    expect(y[0]).toBe(8); // corner: 2×2 window × 2 channels
    expect(y[4 * 7]).toBe(18); // interior: 3×3 × 2
  });

  test('a named backend that cannot start is an error naming the fix; switching works', async () => {
    await expect(selectBackend({ backend: 'tensorflow' })).rejects.toThrow(/pnpm add @tensorflow\/tfjs-node/);
    await expect(selectBackend({ backend: 'webgl' })).rejects.toThrow(/browser/);
    expect(await selectBackend({ backend: 'cpu' })).toBe('cpu');
    expect(backendInfo()?.name).toBe('cpu');
  });
});
