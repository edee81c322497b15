import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { explain, createComposite } from '@lrpjs/lrp';
import { loadNsfwjs } from '../src/nsfwjs';
(async () => {
  await tf.setBackend('wasm');
  const model = await loadNsfwjs((process.argv[2] ?? 'MobileNetV2Mid') as any);
  const x = tf.randomUniform([1, 224, 224, 3], 0, 1, 'float32', 1);
  const r = explain(model as any, x, {
    target: 'predicted',
    composite: createComposite(process.argv[3] ?? 'epsilon-plus'),
    returnLayers: true,
  });
  for (const l of r.layers!)
    console.log(
      l.className.padEnd(28),
      l.name.slice(-60).padEnd(60),
      tf.sum(l.relevance).dataSync()[0].toExponential(3),
      tf.max(tf.abs(l.relevance)).dataSync()[0].toExponential(2),
    );
})();
