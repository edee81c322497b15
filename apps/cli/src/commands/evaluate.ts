import { Command, Option } from 'commander';
import { resolveUserPath } from '../paths';
import { addSharedOptions, type SharedOptions } from '../shared-options';

interface EvaluateOptions extends SharedOptions {
  split: 'test' | 'train' | 'both';
  json: boolean;
}

export function evaluateCommand(): Command {
  const cmd = new Command('evaluate')
    .description(
      "Evaluate a saved model on the tutorial's test split (or train): accuracy, per-person accuracy, confusion.",
    )
    .argument('<model>', 'model folder (e.g. runs/<timestamp>/models/net1) or its model.json')
    .addOption(
      new Option('--split <which>', 'which split to evaluate').choices(['test', 'train', 'both']).default('test'),
    )
    .option('--json', 'print the evaluation as JSON (with the predicted class of every image)', false);
  addSharedOptions(cmd, ['backend', 'data']);
  return cmd.action(async (modelArg: string, opts: EvaluateOptions) => {
    const tf = await import('@tensorflow/tfjs');
    const { predictClasses, scorePredictions } = await import('@lrpjs/models');
    const { initBackend } = await import('../backend');
    const { loadTutorialDataset } = await import('../dataset');
    const { Progress, formatSeconds } = await import('../progress');
    const { checkClasses, loadSavedModel, modelInputSize, modelJsonPath, normalizeFor } =
      await import('../saved-model');

    modelJsonPath(resolveUserPath(modelArg)); // before the slow parts
    const progress = new Progress();
    const backend = await initBackend(opts.backend);
    progress.log(`backend: ${backend.detail}`);
    const loaded = await loadSavedModel(resolveUserPath(modelArg));
    try {
      const size = modelInputSize(loaded);
      const data = await loadTutorialDataset(
        { dataHome: opts.dataHome, variant: opts.variant, download: opts.download, size },
        progress,
      );
      checkClasses(loaded, data.all, loaded.file);
      const splits = opts.split === 'both' ? (['train', 'test'] as const) : ([opts.split] as const);
      const results: Record<string, ReturnType<typeof scorePredictions> & { seconds: number; predicted: number[] }> =
        {};
      for (const split of splits) {
        const ds = data[split];
        const start = performance.now();
        const stage = progress.stage(`evaluate ${split}`, 1);
        const x = tf.tensor4d(normalizeFor(loaded, ds.images), ds.shape);
        try {
          const predicted = predictClasses(loaded.model, x);
          results[split] = {
            ...scorePredictions(predicted, ds.targets, ds.targetNames.length),
            seconds: (performance.now() - start) / 1000,
            predicted: Array.from(predicted),
          };
        } finally {
          x.dispose();
        }
        stage.finish();
      }
      const names = data.all.targetNames;
      if (opts.json) {
        process.stdout.write(
          JSON.stringify(
            { model: loaded.file, architecture: loaded.metadata.architecture, classNames: names, ...results },
            null,
            2,
          ) + '\n',
        );
        return;
      }
      const out = (line: string) => process.stdout.write(line + '\n');
      out(`${loaded.file} (${loaded.metadata.architecture}, ${size}×${size}) on LFW ${opts.variant}`);
      for (const [split, r] of Object.entries(results)) {
        out(`${split}: accuracy ${r.accuracy.toFixed(3)} (${r.correct}/${r.count}) in ${formatSeconds(r.seconds)}`);
      }
      const last = results[splits[splits.length - 1]];
      out(`per person (${splits[splits.length - 1]}):`);
      const width = Math.max(...names.map((n) => n.length));
      names.forEach((n, c) => {
        const total = last.confusion[c].reduce((a, b) => a + b, 0);
        out(
          `  ${n.padEnd(width)}  ${Number.isFinite(last.perClass[c]) ? last.perClass[c].toFixed(3) : '  -  '}  (${last.confusion[c][c]}/${total})`,
        );
      });
    } finally {
      loaded.model.dispose();
    }
  });
}
