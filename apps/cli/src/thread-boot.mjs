// Entry of a worker thread (explain-dataset, parallel training) when the CLI runs from its TypeScript sources: a worker thread does not
// inherit the parent's `--import tsx`, so it registers tsx (for require and import) before loading the thread's code.
import { createRequire } from 'node:module';
import { workerData } from 'node:worker_threads';
import 'tsx/cjs';
import { register } from 'tsx/esm/api';

register();
createRequire(import.meta.url)(workerData.entry);
