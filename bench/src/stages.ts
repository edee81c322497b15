import type { StageProfile } from './profile';

/** Stage ids shared by the TypeScript workers, bench/pytorch/bench.py and the report. */
export const STAGES = [
  'load_cold',
  'load_cached',
  'train_net1',
  'vgg_features',
  'lrp_net1',
  'lrp_vgg',
  'lrp_face',
] as const;
export type StageId = (typeof STAGES)[number];

/** Stages that need no tfjs backend: measured once, in a plain Node process. */
export const LOAD_STAGES: readonly StageId[] = ['load_cold', 'load_cached'];
/** Stages measured on every tfjs backend. */
export const BACKEND_STAGES: readonly StageId[] = ['train_net1', 'vgg_features', 'lrp_net1', 'lrp_vgg', 'lrp_face'];
/** Stages the PyTorch side runs (the face backbone is lrpjs's own). */
export const PYTORCH_STAGES: readonly StageId[] = [
  'load_cold',
  'load_cached',
  'train_net1',
  'vgg_features',
  'lrp_net1',
  'lrp_vgg',
];

export const STAGE_LABELS: Record<StageId, string> = {
  load_cold: 'LFW load, cold',
  load_cached: 'LFW load, cached',
  train_net1: 'train net1',
  vgg_features: 'VGG-17 features',
  lrp_net1: 'LRP net1',
  lrp_vgg: 'LRP VGG-17+top',
  lrp_face: 'LRP face backbone',
};

/** What one runner (a worker process) measured for one stage. */
export type StageOutcome =
  | {
      status: 'ok';
      /** Seconds of each timed repetition (after the warm-up). */
      times: number[];
      /** Examples processed per repetition (images; training: steps). */
      images?: number;
      steps?: number;
      perStepMs?: number;
      batch?: number;
      /** FLOPs of one repetition when the runner counted them itself (face backbone). */
      flops?: number;
      trainAccuracy?: number;
      testAccuracy?: number;
      /** Why fewer repetitions ran than asked (time budget). */
      note?: string;
      /** With --profile: where one extra, profiled repetition spent its time. */
      profile?: StageProfile;
    }
  | { status: 'skipped' | 'failed'; reason: string };

/** What a worker process writes (the PyTorch script writes the same shape). */
export interface RunnerResult {
  runner: 'lrpjs' | 'pytorch';
  /** tfjs backend, `'node'` for the load-only process, `'pytorch'`. */
  backend: string;
  status?: 'ok' | 'unavailable' | 'failed';
  reason?: string;
  versions: Record<string, string>;
  threads?: number;
  backendInfo?: Record<string, unknown>;
  data?: { images: number; classes: number; train: number; test: number; shape: number[] };
  stages: Partial<Record<StageId, StageOutcome>>;
  peakRssMiB?: number;
}
