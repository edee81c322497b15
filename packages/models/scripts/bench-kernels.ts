/**
 * Micro-benchmark of the convolution-gradient and pooling-gradient kernels on the nets' shapes
 * (batch 25), ours against tfjs-backend-wasm's own. Not a test. Run from packages/models:
 *
 *   node --conditions=source --import tsx scripts/bench-kernels.ts [--threads 1] [--stock]
 *
 * `--stock` keeps tfjs's Conv2DBackpropInput and MaxPoolGrad (Conv2DBackpropFilter is always ours:
 * tfjs-backend-wasm has none). Prints wall and process-CPU milliseconds per call, result read back.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const runKernel = (name: string, inputs: tf.NamedTensorMap, attrs: Record<string, unknown>): tf.Tensor =>
  tf.engine().runKernel(name, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;

function bench(label: string, f: () => tf.Tensor, reps = 10): void {
  f().dispose();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    const t = f();
    t.dataSync();
    t.dispose();
  }
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `${label.padEnd(28)} wall ${((performance.now() - t0) / reps).toFixed(2).padStart(7)} ms  cpu ${((cpu.user + cpu.system) / 1000 / reps).toFixed(2).padStart(7)} ms`,
  );
}

async function main(): Promise<void> {
  await selectBackend({
    backend: 'wasm',
    threads: Number(arg('threads', '1')),
    replaceSlowKernels: !process.argv.includes('--stock'),
  });
  const layers: [string, [number, number, number, number], [number, number, number, number]][] = [
    ['conv1', [25, 64, 64, 3], [5, 5, 3, 10]],
    ['conv2', [25, 32, 32, 10], [5, 5, 10, 25]],
    ['conv3', [25, 16, 16, 25], [5, 5, 25, 100]],
  ];
  for (const [name, xs, fs] of layers) {
    const x = tf.randomNormal(xs) as tf.Tensor4D;
    const f = tf.randomNormal(fs) as tf.Tensor4D;
    const dy = tf.randomNormal([xs[0], xs[1], xs[2], fs[3]]) as tf.Tensor4D;
    const mflop = (2 * xs[0] * xs[1] * xs[2] * fs[0] * fs[1] * fs[2] * fs[3]) / 1e6;
    console.log(`${name}: ${mflop.toFixed(0)} MFLOP per convolution`);
    bench(`${name} forward conv2d`, () => tf.conv2d(x, f, 1, 'same'));
    bench(`${name} Conv2DBackpropFilter`, () =>
      runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: fs }),
    );
    bench(`${name} Conv2DBackpropInput`, () =>
      runKernel(
        'Conv2DBackpropInput',
        { dy, filter: f },
        { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: xs },
      ),
    );
    const act = tf.relu(dy) as tf.Tensor4D;
    const pooled = tf.maxPool(act, 2, 2, 'valid');
    bench(`${name} MaxPoolGrad`, () =>
      runKernel('MaxPoolGrad', { dy: pooled, input: act, output: pooled }, { filterSize: 2, strides: 2, pad: 'valid' }),
    );
    tf.dispose([x, f, dy, act, pooled]);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
