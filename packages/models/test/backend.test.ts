import * as tf from '@tensorflow/tfjs';
import { backendInfo, createProgressReporter, selectBackend } from '../src';

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

describe('createProgressReporter', () => {
  test('plain lines when not a TTY', () => {
    let out = '';
    const r = createProgressReporter({ stream: { write: (s: string) => (out += s) }, tty: false, plainEvery: 0.5 });
    r.start(4, 'net1');
    for (let i = 1; i <= 4; i++) r.step({ step: i, loss: 1 / i });
    r.evaluate({ iteration: 3, loss: 0.25, trainAccuracy: 1, testAccuracy: 0.5 });
    r.finish('done');
    expect(out).not.toContain('\r');
    expect(out.split('\n').filter(Boolean)).toEqual([
      'net1: training 4 steps',
      expect.stringMatching(/^net1: step 2\/4 loss 0\.500/),
      expect.stringMatching(/^net1: step 4\/4 loss 0\.250/),
      'net1: iteration 3  loss 0.250  train: 1.000  test: 0.500',
      'done',
    ]);
  });

  test('a redrawn bar with loss and accuracy on a TTY', () => {
    let out = '';
    const r = createProgressReporter({
      stream: { write: (s: string) => (out += s), isTTY: true, columns: 120 },
      redrawMs: 0,
    });
    r.start(2, 'net2');
    r.step({ step: 1, loss: 0.5 });
    r.evaluate({ iteration: 0, loss: 0.5, trainAccuracy: 0.25 });
    r.step({ step: 2, loss: 0.125 });
    r.finish();
    expect(out).toContain('\r\x1b[2K');
    expect(out).toMatch(/net2 \[█+░*\] 2\/2 loss 0\.125 train 0\.250 test -/);
    expect(out.endsWith('\n')).toBe(true);
  });
});
