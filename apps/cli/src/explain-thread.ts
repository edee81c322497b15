/**
 * Entry of an explain-dataset worker thread: explains the shards the pool sends, one at a time, with its own
 * tfjs backend and its own copy of the model (tfjs state is per thread).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BackendSummary } from './backend';
import type { ShardInputs } from './shard-explain';
import type { ShardJob } from './shards';
import type { BackendChoice } from './shared-options';

export interface ThreadRequest {
  id: number;
  job: ShardJob;
  inputs?: ShardInputs;
}

export type ThreadReply =
  | { id: number; ok: true; result: import('./shards').ShardResult; backend: string }
  | { id: number; ok: false; error: string };

let backend: Promise<BackendSummary> | undefined;
const port = parentPort!;
const { backendChoice, budgetMb } = workerData as { backendChoice: BackendChoice; budgetMb: number };

port.on('message', (req: ThreadRequest) => {
  void (async () => {
    try {
      backend ??= import('./backend').then((b) => b.initBackend(backendChoice));
      const { detail } = await backend;
      const { explainShard } = await import('./shard-explain');
      const result = await explainShard(req.job, budgetMb, req.inputs);
      port.postMessage({ id: req.id, ok: true, result, backend: detail } satisfies ThreadReply);
    } catch (err) {
      port.postMessage({ id: req.id, ok: false, error: (err as Error).message ?? String(err) } satisfies ThreadReply);
    }
  })();
});
