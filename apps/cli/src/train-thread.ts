/**
 * Entry of a training worker thread (see train-threads.ts): trains one net from scratch with its own tfjs
 * backend, reports progress to the parent, and sends back the trained model as in-memory artifacts.
 */
import * as tf from '@tensorflow/tfjs';
import { parentPort, workerData } from 'node:worker_threads';
import type { NetInputs, PreparedNet, TrainSettings } from './nets';
import type { ProgressSink, Stage } from './progress';
import type { BackendChoice } from './shared-options';

export interface TrainThreadData {
  name: 'net1' | 'net2';
  data: NetInputs;
  settings: TrainSettings;
  backendChoice: BackendChoice;
  entry: string;
}

/** A trained net without its model (which is in `artifacts`). */
export type TrainedNetMessage = Omit<PreparedNet, 'model'> & { artifacts: tf.io.ModelArtifacts; backend: string };

export type TrainThreadMessage =
  | { type: 'update'; label: string; total: number; done: number; detail?: string }
  | { type: 'finish'; label: string; seconds: number; detail?: string }
  | { type: 'log'; line: string }
  | { type: 'done'; net: TrainedNetMessage }
  | { type: 'error'; message: string };

const port = parentPort!;
const post = (m: TrainThreadMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

/** The parent draws the progress: stages and log lines become messages. */
const sink: ProgressSink = {
  log: (line) => post({ type: 'log', line }),
  stage(label: string, total: number): Stage {
    const start = performance.now();
    let finished = false;
    return {
      update: (done, detail) => post({ type: 'update', label, total, done, detail }),
      finish: (detail) => {
        const seconds = (performance.now() - start) / 1000;
        if (!finished) post({ type: 'finish', label, seconds, detail });
        finished = true;
        return seconds;
      },
    };
  },
};

void (async () => {
  const { name, data, settings, backendChoice } = workerData as TrainThreadData;
  try {
    const { initBackend } = await import('./backend');
    const backend = await initBackend(backendChoice);
    const { prepareNet } = await import('./nets');
    const { model, ...net } = await prepareNet(name, data, settings, sink);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: {} as never })));
    model.dispose();
    const weights = artifacts!.weightData as ArrayBuffer;
    post({ type: 'done', net: { ...net, artifacts: artifacts!, backend: backend.detail } }, [weights]);
  } catch (err) {
    post({ type: 'error', message: (err as Error).message ?? String(err) });
  }
})();
