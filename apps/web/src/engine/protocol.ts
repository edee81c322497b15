/** Messages between the page and the engine worker, which owns TensorFlow.js, the models and face-api. */
import type { ModelSource } from '../run/types';

export type BackendChoice = 'auto' | 'webgl' | 'wasm' | 'cpu';

/** Composite presets offered in the page (see composites.ts for what each does). */
export type CompositeName =
  'tutorial' | 'epsilon-gamma-box' | 'epsilon-plus' | 'epsilon-plus-flat' | 'epsilon-alpha2-beta1';

export interface CompositeParams {
  /** γ of the LRP-γ rule (tutorial 0.25). */
  gamma: number;
  /** ε of the LRP-ε rule / the stabilizer (tutorial 1e-9). */
  epsilon: number;
  /** z^B lower bound of the input layer in model input units (tutorial -1.5 = black). */
  low: number;
  /** z^B upper bound (tutorial 1.5 = white). */
  high: number;
}

export interface CompositeSpec {
  name: CompositeName;
  params: CompositeParams;
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
  /** The model's own metadata (userDefinedMetadata.lrpjs), if any. */
  metadata?: Record<string, unknown>;
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
  crops: FaceCrop[];
  facesFound: number;
}

export type Request =
  | { type: 'init'; backend: BackendChoice; wasmBase: string; faceBase: string }
  | { type: 'load'; net: string; source: ModelSource }
  | { type: 'unload' }
  | { type: 'explain'; net: string; pixels: Float32Array; size: number; target: TargetSpec; composite: CompositeSpec }
  | { type: 'face'; bitmap: ImageBitmap; sizes: number[] }
  | { type: 'prepareFace' }
  | { type: 'memory' };

export type ResponseBody = { backend: string } | ModelInfo | ExplainResult | FaceResult | { numTensors: number } | null;

export type Response = { id: number; ok: true; body: ResponseBody } | { id: number; ok: false; error: string };
