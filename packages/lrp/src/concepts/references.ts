import type { LayerConceptStatistics } from './statistics';

/** One reference sample of a channel: which dataset sample, how strongly, and at which cell. */
export interface ReferenceSample {
  /** Index of the sample in the dataset. */
  sample: number;
  /** Its relevance (RelMax) or activation (ActMax) for the channel. */
  value: number;
  /** The cell (y · width + x of the layer's grid) where the channel peaks in that sample. */
  cell: number;
  /** The class the relevance was computed for. */
  target: number;
}

/** The reference samples of every channel of one layer, best first. */
export interface LayerReferences {
  layer: string;
  /** [height, width, channels] of the layer. */
  shape: [number, number, number];
  /** Per channel: the samples of highest relevance (RelMax). */
  relevance: ReferenceSample[][];
  /** Per channel: the samples of highest activation (ActMax). */
  activation: ReferenceSample[][];
}

/** What a dataset pass collects: JSON-serializable, so that a pass can stop and resume. */
export interface ReferenceTable {
  top: number;
  /** Samples seen so far (the pass is complete when it equals the dataset size). */
  seen: number;
  layers: LayerReferences[];
}

function insert(list: ReferenceSample[], item: ReferenceSample, top: number): void {
  if (list.length === top && item.value <= list[top - 1].value) return;
  let at = list.length;
  while (at > 0 && list[at - 1].value < item.value) at--;
  list.splice(at, 0, item);
  if (list.length > top) list.pop();
}

/**
 * Keeps, per channel of each layer, the `top` samples of highest relevance and of highest activation
 * (Concept Relevance Propagation's RelMax and ActMax) while batches of {@link conceptStatistics} stream by.
 * Ties keep the earlier sample, so the result does not depend on the batch size.
 */
export class ReferenceCollector {
  readonly table: ReferenceTable;

  constructor(top: number, table?: ReferenceTable) {
    if (!Number.isInteger(top) || top < 1) throw new Error(`lrp: top must be a whole number ≥ 1, got ${top}.`);
    if (table && table.top !== top) {
      throw new Error(`lrp: the saved references keep ${table.top} samples per channel, not ${top}; start afresh.`);
    }
    this.table = table ?? { top, seen: 0, layers: [] };
  }

  /** Adds a batch whose first image is dataset sample `offset`. */
  add(stats: readonly LayerConceptStatistics[], offset: number): void {
    const top = this.table.top;
    let n = 0;
    for (const s of stats) {
      const k = s.shape[2];
      n = s.relevance.length / k;
      let layer = this.table.layers.find((l) => l.layer === s.layer);
      if (!layer) {
        layer = {
          layer: s.layer,
          shape: s.shape,
          relevance: Array.from({ length: k }, () => []),
          activation: Array.from({ length: k }, () => []),
        };
        this.table.layers.push(layer);
      }
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < k; c++) {
          const j = i * k + c;
          const target = s.targets[i];
          insert(
            layer.relevance[c],
            { sample: offset + i, value: s.relevance[j], cell: s.relevancePeak[j], target },
            top,
          );
          insert(
            layer.activation[c],
            { sample: offset + i, value: s.activation[j], cell: s.activationPeak[j], target },
            top,
          );
        }
      }
    }
    this.table.seen = Math.max(this.table.seen, offset + n);
  }
}
