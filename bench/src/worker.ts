/**
 * One measuring process: `node --conditions=source --import tsx src/worker.ts CONFIG.json`.
 * Backend 'node' measures the LFW load stages (no tfjs); a tfjs backend name measures the model
 * stages on that backend. Each in its own process, so peak memory is per backend. The result file
 * is rewritten after every stage, so a process killed for time still reports what it finished.
 */
import * as fs from 'node:fs';
import { Recorder, type WorkerConfig } from './recorder';

async function main(): Promise<void> {
  const configPath = process.argv[2];
  if (!configPath) throw new Error('usage: worker.ts CONFIG.json (started by bench/src/main.ts)');
  const config = JSON.parse(fs.readFileSync(configPath, 'utf8')) as WorkerConfig;
  const recorder = new Recorder(config.out, config.backend);
  recorder.write();
  if (config.backend === 'node') {
    const { runLoadStages } = await import('./load-stages');
    await runLoadStages(config.settings, recorder);
  } else {
    const { runBackendStages } = await import('./backend-stages');
    await runBackendStages(config.settings, config.backend, recorder);
  }
  recorder.write();
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
