/**
 * Trains the tutorial's net1 and net2 on the real LFW subset with the tutorial's recipe and reports
 * accuracies and timings. Not a test (minutes of CPU). Run from packages/models:
 *
 *   node --conditions=source --import tsx scripts/train-tutorial.ts [--backend wasm] [--threads 2]
 *        [--nets net1,net2] [--iterations 2500] [--seed 1] [--data-home /work/shared/data] [--out DIR]
 */
import * as tf from '@tensorflow/tfjs';
import { TUTORIAL_LFW_OPTIONS, loadLfwPeople, normalizeTutorial, splitTutorial } from '@lrpjs/data';
import {
  BackendName,
  backendInfo,
  buildNet1,
  buildNet2,
  selectBackend,
  train,
  TUTORIAL_INPUT_NORMALIZATION,
} from '../src';
import { saveModel } from '../src/node';
import { createProgressBar } from '../../../scripts/terminal-progress';
import { arg } from './script-util';

async function main(): Promise<void> {
  const backend = arg('backend', 'wasm') as BackendName | 'auto';
  const threads = arg('threads', '') === '' ? undefined : Number(arg('threads', ''));
  const nets = arg('nets', 'net1,net2').split(',');
  const iterations = Number(arg('iterations', '2500'));
  const seed = Number(arg('seed', '1'));
  const dataHome = arg(
    'data-home',
    process.env.LRPJS_SHARED_DIR ? `${process.env.LRPJS_SHARED_DIR}/data` : '/work/shared/data',
  );
  const out = arg('out', '');

  await selectBackend({ backend, threads });
  console.log('backend', JSON.stringify(backendInfo()));

  const t0 = Date.now();
  const ds = await loadLfwPeople({
    ...TUTORIAL_LFW_OPTIONS,
    variant: 'deepfunneled',
    dataHome,
    downloadIfMissing: false,
  });
  const { train: tr, test: te } = splitTutorial(ds);
  console.log(
    `data: ${ds.shape[0]} images ${ds.shape.slice(1).join('x')}, ${ds.targetNames.length} classes, train ${tr.shape[0]} test ${te.shape[0]} (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
  const xTrain = tf.tensor4d(normalizeTutorial(tr.images), tr.shape);
  const xTest = tf.tensor4d(normalizeTutorial(te.images), te.shape);
  const numClasses = ds.targetNames.length;

  for (const name of nets) {
    const build = name === 'net2' ? buildNet2 : buildNet1;
    const model = build({ numClasses, inputSize: ds.shape[1], seed });
    const bar = createProgressBar({ stream: process.stdout });
    const result = await train(
      model,
      { xTrain, yTrain: tr.targets, xTest, yTest: te.targets },
      {
        iterations,
        seed,
        onStep: ({ iteration }) => bar({ stage: `train ${name}`, done: iteration + 1, total: iterations + 1 }),
        onEvaluate: (p) =>
          console.log(
            `${name} iteration ${p.iteration}: loss ${p.loss.toFixed(3)} train ${p.trainAccuracy.toFixed(3)} test ${p.testAccuracy?.toFixed(3)}`,
          ),
      },
    );
    const last = result.history[result.history.length - 1];
    console.log(
      `RESULT ${name}: train ${last.trainAccuracy.toFixed(3)} test ${last.testAccuracy?.toFixed(3)} | ` +
        `${result.seconds.toFixed(1)} s total for ${result.steps} steps (${result.msPerStep.toFixed(1)} ms/step), ` +
        `evaluation ${result.evalSeconds.toFixed(1)} s over ${result.history.length} evaluations`,
    );
    console.log(`HISTORY ${name} ${JSON.stringify(result.history)}`);
    if (out) {
      await saveModel(model, `${out}/${name}`, {
        architecture: name,
        classNames: ds.targetNames,
        inputShape: [ds.shape[1], ds.shape[2], ds.shape[3]],
        normalization: { ...TUTORIAL_INPUT_NORMALIZATION },
        training: result.config,
        metrics: { trainAccuracy: last.trainAccuracy, testAccuracy: last.testAccuracy, seconds: result.seconds },
      });
    }
    model.dispose();
  }
  xTrain.dispose();
  xTest.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
