/**
 * The from-scratch nets (net1, net2) trained side by side, one worker thread each with its own tfjs backend.
 * On wasm a training step uses a second core poorly (measured on 2 cores: 93 ms per step with 2 threads,
 * 110–121 ms with 1 thread while the other net trains beside it), so two nets with one core each finish in
 * about 60 % of the time of one after the other with both cores.
 */
import * as tf from '@tensorflow/tfjs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { CliError } from './errors';
import type { NetInputs, NetName, PreparedNet, TrainSettings } from './nets';
import { formatSeconds, type Progress } from './progress';
import type { BackendChoice } from './shared-options';
import { threadEntry } from './thread-entry';
import type { TrainThreadData, TrainThreadMessage } from './train-thread';

type ScratchNet = 'net1' | 'net2';

/**
 * The nets of `nets` to train in threads: net1 and net2 when both are asked for, the machine has at least
 * two cores and the backend is not tfjs-node (whose native kernels already use every core). Empty: train
 * in order on this thread.
 */
export function parallelNets(nets: NetName[], backend: string, cores = os.availableParallelism()): ScratchNet[] {
  const scratch = nets.filter((n): n is ScratchNet => n === 'net1' || n === 'net2');
  return scratch.length >= 2 && cores >= 2 && backend !== 'tensorflow' ? scratch : [];
}

export interface ThreadedTraining {
  /** Each net's result, its model rebuilt on this thread's backend. */
  results: Map<ScratchNet, Promise<PreparedNet>>;
  /** Stops the threads still training (a failed or interrupted run must not wait for them). */
  close(): Promise<void>;
}

/**
 * Starts training `names` in worker threads (cores shared evenly between them). Progress: one combined
 * bar, a line per net.
 */
export function trainInThreads(
  names: ScratchNet[],
  data: NetInputs,
  settings: TrainSettings,
  backendChoice: BackendChoice,
  progress: Progress,
): ThreadedTraining {
  const wasmThreads = Math.max(1, Math.floor(os.availableParallelism() / names.length));
  const steps = new Map<ScratchNet, { done: number; total: number; detail?: string }>();
  let combined: ReturnType<Progress['stage']> | undefined;
  const redraw = () => {
    const all = [...steps.values()];
    combined ??= progress.stage(`train ${names.join(' + ')}`, all.reduce((a, s) => a + s.total, 0) || 1);
    const detail = [...steps].map(([n, s]) => `${n} ${s.detail ?? ''}`.trim()).join(', ');
    combined.update(
      all.reduce((a, s) => a + s.done, 0),
      detail,
    );
  };
  let running = names.length;
  const results = new Map<ScratchNet, Promise<PreparedNet>>();
  const workers: Worker[] = [];
  for (const name of names) {
    const { file, entry } = threadEntry('train-thread');
    const workerData: TrainThreadData = { name, data, settings, backendChoice, entry };
    const worker = new Worker(file, {
      workerData,
      env: { ...process.env, LRPJS_WASM_THREADS: String(wasmThreads) },
    });
    workers.push(worker);
    // Both stages are counted in the combined bar from the start.
    steps.set(name, { done: 0, total: settings.iterations + 1 });
    results.set(
      name,
      new Promise<PreparedNet>((resolve, reject) => {
        let settled = false;
        const fail = (message: string) => {
          if (settled) return;
          settled = true;
          void worker.terminate();
          reject(new CliError(`training ${name} in a worker thread failed: ${message}`));
        };
        worker.on('message', (m: TrainThreadMessage) => {
          if (m.type === 'update') {
            if (m.label === `train ${name}`) steps.set(name, { done: m.done, total: m.total, detail: m.detail });
            redraw();
          } else if (m.type === 'finish') {
            progress.log(`${m.label}: done in ${formatSeconds(m.seconds)}${m.detail ? ` — ${m.detail}` : ''}`);
          } else if (m.type === 'log') progress.log(m.line);
          else if (m.type === 'error') fail(m.message);
          else if (m.type === 'done') {
            settled = true;
            if (--running === 0) combined?.finish(m.net.backend);
            void worker.terminate();
            const { artifacts, backend: _backend, ...net } = m.net;
            tf.loadLayersModel(tf.io.fromMemory(artifacts)).then((model) => resolve({ ...net, model }), reject);
          }
        });
        worker.on('error', (err) => fail(err.message));
        worker.on('exit', (code) => fail(`the thread exited with code ${code}`));
      }),
    );
    // Awaited in the run's order: a net that fails while an earlier one is awaited is not an unhandled rejection.
    results.get(name)!.catch(() => undefined);
  }
  return { results, close: async () => void (await Promise.all(workers.map((w) => w.terminate()))) };
}
