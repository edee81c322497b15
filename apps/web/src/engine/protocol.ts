/** Messages between the page and the engine worker, which owns TensorFlow.js, the models and face-api. */
import type { CompositeName, CompositeParams, CompositeRecommendation } from '@lrpjs/lrp/catalog';
import type { BaselineName } from '@lrpjs/attribution/catalog';
import type { ModelSource } from '../run/types';

/** How the heatmaps are computed: LRP with each model's composite, or one of @lrpjs/attribution's baselines. */
export type MethodName = 'lrp' | BaselineName;

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
/** Every backend the page offers, in the order of preference among equals. */
export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
export type BackendChoice = 'auto' | BackendName;

/** One backend's result of the start-up probe (see backendProbe.ts). */
export interface BackendProbe {
  name: BackendName;
  available: boolean;
  /** Median time of the probe explanation, when measured. */
  ms?: number;
  /** WebGL or WebGPU rendered in software (SwiftShader & co., a fallback adapter): never chosen by default. */
  software?: boolean;
  /** Renderer name, or why the backend is unavailable. */
  note?: string;
}

export interface BackendState {
  backend: BackendName;
  /** How the backend was chosen: measured (auto), or asked for. */
  chosen: 'measured' | 'requested';
  probes: BackendProbe[];
}

/** A catalogue preset of @lrpjs/lrp and its parameters (the catalogue checks names and ranges). */
export interface CompositeSpec {
  name: CompositeName;
  params: Required<CompositeParams>;
}

/**
 * Which output is explained:
 * - `predicted`: the model's own top class;
 * - `class`: "why <class>?" — the logit of `index`;
 * - `contrast`: "why not <class>?" — the logit of the predicted class minus that of `index`, so red marks evidence
 *   for the prediction over `index` and blue evidence for `index`.
 */
export type TargetSpec = { kind: 'predicted' } | { kind: 'class'; index: number } | { kind: 'contrast'; index: number };

export interface ModelInfo {
  net: string;
  inputSize: number;
  numClasses: number;
  /** The composite @lrpjs/lrp recommends for this model (as the CLI's `--composite auto`). */
  recommended: CompositeRecommendation;
  /** The model's own metadata (userDefinedMetadata.lrpjs), if any. */
  metadata?: Record<string, unknown>;
  /** A model opened from its own folder (not the run's): its format and its outputs' names. */
  external?: { format: 'graph-model' | 'layers-model'; classNames: string[] };
}

export interface ExplainResult {
  net: string;
  size: number;
  /** Relevance summed over channels, size×size row-major. */
  relevance: Float32Array;
  /** Σ relevance over the input (≈ the explained output under conservative rules). */
  total: number;
  logits: Float32Array;
  probabilities: Float32Array;
  predicted: number;
  /** The class indices explained and their weights (e.g. [[3, 1]] or [[3, 1], [1, -1]]). */
  explained: [number, number][];
  /** Milliseconds spent in the worker (forward + LRP + read-back). */
  ms: number;
  backend: string;
  method: MethodName;
}

/** The pixel-flipping curves of one image and heatmap (@lrpjs/attribution's pixelFlipping). */
export interface FlipResult {
  net: string;
  /** Fraction of the regions perturbed at each step, 0..1. */
  fraction: number[];
  /** Logit of the tracked class, most relevant regions first. */
  morf: number[];
  /** Least relevant regions first. */
  lerf: number[];
  /** Area over the MoRF curve: the mean drop of the logit (larger: the heatmap found what matters). */
  aopc: number;
  /** Symmetric relevance gain AUC(LeRF) − AUC(MoRF) (larger: the ranking separates better). */
  srg: number;
  /** The class whose logit is tracked. */
  target: number;
  steps: number;
  patch: number;
  replacement: string;
  ms: number;
}

/** A composite by name, as the concept atlas records it (the catalogue checks name and parameters). */
export interface NamedComposite {
  name: string;
  params?: Record<string, number>;
}

/** One channel of a layer as a concept of the explained image (Concept Relevance Propagation). */
export interface ConceptScoreOut {
  channel: number;
  /** Its share of the layer's relevance (shares of all channels sum to 1; negative: speaks against). */
  share: number;
  relevance: number;
  activation?: number;
}

/** The top concepts of one image at one layer, with their conditional heatmaps and the plain one. */
export interface ConceptsResult {
  net: string;
  layer: string;
  target: number;
  /** Σ relevance over the layer (all channels). */
  total: number;
  concepts: ConceptScoreOut[];
  size: number;
  /** One size×size heatmap per concept (summed over colour channels), concept-major. */
  heatmaps: Float32Array;
  /** The plain (unconditioned) heatmap, size×size. */
  plain: Float32Array;
  ms: number;
}

/** The concepts that make a region of the heatmap relevant (shares of the region's relevance). */
export interface RegionResult {
  net: string;
  layer: string;
  region: { y0: number; x0: number; y1: number; x1: number };
  concepts: ConceptScoreOut[];
  ms: number;
}

export interface FaceCrop {
  size: number;
  /** size×size×3 in [0, 1], as the gallery tiles. */
  pixels: Float32Array;
}

export interface FaceResult {
  /** Detection box in source-image pixels and its score. */
  box: { x: number; y: number; width: number; height: number; score: number };
  /** The LFW-like square crop in source-image pixels. */
  crop: { x: number; y: number; side: number };
  imageWidth: number;
  imageHeight: number;
  facesFound: number;
}

export type Request =
  | { type: 'init'; backend: BackendChoice; wasmBase: string; faceBase: string }
  | { type: 'setBackend'; backend: BackendName }
  | { type: 'load'; net: string; source: ModelSource }
  | { type: 'loadExternal'; net: string; files: File[] }
  | { type: 'unload' }
  | {
      type: 'explain';
      net: string;
      pixels: Float32Array;
      size: number;
      target: TargetSpec;
      composite: CompositeSpec;
      method: MethodName;
    }
  | { type: 'flip'; net: string; pixels: Float32Array; size: number; heat: Float32Array; target: number }
  | {
      type: 'concepts';
      net: string;
      pixels: Float32Array;
      size: number;
      target: number | 'predicted';
      layer: string;
      top: number;
      composite: NamedComposite;
    }
  | {
      type: 'region';
      net: string;
      pixels: Float32Array;
      size: number;
      target: number | 'predicted';
      layer: string;
      top: number;
      composite: NamedComposite;
      region: { y0: number; x0: number; y1: number; x1: number };
    }
  | { type: 'face'; bitmap: ImageBitmap }
  | { type: 'prepareFace' }
  | { type: 'memory' };

export type ResponseBody =
  | BackendState
  | ModelInfo
  | ExplainResult
  | FlipResult
  | ConceptsResult
  | RegionResult
  | FaceResult
  | { numTensors: number }
  | { noFace: true; imageWidth: number; imageHeight: number }
  | null;

export type Response = { id: number; ok: true; body: ResponseBody } | { id: number; ok: false; error: string };
