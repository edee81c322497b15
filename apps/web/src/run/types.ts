/** The run folder the CLI writes (see CONTRACTS.md "The run folder"); only the fields the explorer reads. */

export interface CurvePoint {
  iteration: number;
  loss?: number;
  trainAccuracy: number;
  testAccuracy: number;
}

export interface NetMetrics {
  description?: string;
  inputSize: number;
  trainAccuracy: number;
  testAccuracy: number;
  curve?: CurvePoint[];
  perClassAccuracy?: number[];
  /** Rows = true class, columns = predicted class. */
  confusion?: number[][];
  /** Relative to the run folder, e.g. 'models/net1'. */
  modelPath: string;
}

export interface RunMetrics {
  version: number;
  createdAt?: string;
  backend?: string;
  versions?: Record<string, string>;
  settings?: Record<string, unknown>;
  seconds?: Record<string, number>;
  classNames: string[];
  nets: Record<string, NetMetrics>;
  skipped?: Record<string, string>;
}

export interface GalleryIndex {
  count: number;
  /** Atlas file per tile size, e.g. { 64: 'images-64.png', 150: 'images-150.png' }. */
  tile: Record<string, string>;
  columns: number;
  testIndices?: number[];
  targets: number[];
  classNames?: string[];
  predictions: Record<string, number[]>;
}

/** A decoded gallery atlas: `count` tiles of size×size RGB, row-major with `columns` tiles per row. */
export interface Atlas {
  size: number;
  width: number;
  height: number;
  /** RGBA bytes of the whole atlas. */
  rgba: Uint8ClampedArray;
  /** Object URL of the PNG, for thumbnails. */
  url: string;
}

/** Where the model of one net comes from: a URL to model.json, or files picked from disk. */
export type ModelSource = { kind: 'url'; url: string } | { kind: 'files'; files: File[] };

export interface LoadedRun {
  label: string;
  metrics: RunMetrics;
  gallery?: GalleryIndex;
  /** Atlases by tile size. */
  atlases: Record<number, Atlas>;
  models: Record<string, ModelSource>;
  /** Net names in display order. */
  nets: string[];
  /** Object URLs of files the CLI rendered (curves.svg, confusion-<net>.svg), when present. */
  figures: Record<string, string>;
}
