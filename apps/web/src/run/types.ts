/**
 * The run folder's files are defined once, in @lrpjs/run (schemas, versions, migrations); the explorer only adds
 * what it derives from them in the page.
 */
import type { ConceptAtlas, GalleryIndex, RunMetrics } from '@lrpjs/run';

export type { CurvePoint, GalleryIndex, NetMetrics, RunMetrics } from '@lrpjs/run';

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
  /** Concept atlases (`lrpjs concepts`) by net, with object URLs of their crop sprites by layer. */
  concepts: Record<string, LoadedConcepts>;
  /** Nets whose atlas.json could not be read, with the reason. */
  conceptErrors: Record<string, string>;
}

export interface LoadedConcepts {
  atlas: ConceptAtlas;
  sprites: Record<string, { relevance?: string; activation?: string }>;
}
