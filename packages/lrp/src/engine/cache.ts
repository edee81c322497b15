import * as tf from '@tensorflow/tfjs';
import { buildGraph } from '../graph/builder';
import { graphModelWeightIds, importGraphModel, isGraphModel } from '../graph-import';
import { Params } from '../graph/params';
import type { Graph, LinearNode, LinearOp } from '../graph/types';
import { defaultCanonizers } from '../canonizers';
import type { Composite } from '../composites/composite';
import type { LayerInfo, Rule } from '../rules/types';
import type { GraphNode } from '../graph/types';
import { passThrough, proportional, type NodeRule } from '../rules/node-rules';
import { AvgPoolOp, MaxPoolOp } from '../ops/pool';
import { layerInfos } from './layer-info';

const DEFAULT_ADD = proportional();
const DEFAULT_ACTIVATION = passThrough();

/** Cached tensors of one linear node under one composite (ρ-modified parameters, constants). */
export class NodeCache {
  readonly params = new Map<string, Params>();
  readonly constants = new Map<string, tf.Tensor>();

  bytes(): number {
    let n = 0;
    for (const p of this.params.values()) n += p.bytes();
    for (const t of this.constants.values()) n += t.size * 4;
    return n;
  }

  dispose(): void {
    for (const p of this.params.values()) p.dispose();
    for (const t of this.constants.values()) t.dispose();
    this.params.clear();
    this.constants.clear();
  }
}

/** A model canonized for one composite, with its rule per node and caches. */
export class CompositeEntry {
  readonly graph: Graph;
  readonly infos: Map<LinearNode, LayerInfo>;
  readonly rules = new Map<LinearNode, Rule | null>();
  /** The rule of every Add and activation node (the composite's, else the default). */
  readonly nodeRules = new Map<GraphNode, NodeRule>();
  /** The op rules see; differs from the forward op for max pooling treated as average pooling. */
  readonly relevanceOps = new Map<LinearNode, LinearOp>();
  private readonly nodeCaches = new Map<LinearNode, NodeCache>();
  private readonly owned: tf.Tensor[] = [];

  constructor(
    base: Graph,
    readonly composite: Composite,
  ) {
    const keep = <T extends tf.Tensor>(t: T): T => {
      this.owned.push(tf.keep(t));
      return t;
    };
    let graph = base;
    try {
      for (const c of composite.canonizers ?? defaultCanonizers()) graph = c.apply(graph, keep);
    } catch (e) {
      this.dispose();
      throw e;
    }
    this.graph = graph;
    this.infos = layerInfos(graph);
    for (const node of graph.nodes) {
      if (node.kind !== 'add' && node.kind !== 'activation') continue;
      const info = {
        name: node.name,
        className: node.className,
        kind: node.kind,
        ...(node.kind === 'activation' ? { activation: node.activation.name } : {}),
      };
      const rule = composite.nodeRuleFor?.(info) ?? (node.kind === 'add' ? DEFAULT_ADD : DEFAULT_ACTIVATION);
      this.nodeRules.set(node, rule);
    }
    for (const [node, info] of this.infos) {
      this.rules.set(node, composite.ruleFor(info));
      const op = node.op;
      this.relevanceOps.set(
        node,
        composite.maxPool === 'average' && op instanceof MaxPoolOp ? new AvgPoolOp(op.geometry) : op,
      );
    }
  }

  nodeCache(node: LinearNode): NodeCache {
    let c = this.nodeCaches.get(node);
    if (!c) {
      c = new NodeCache();
      this.nodeCaches.set(node, c);
    }
    return c;
  }

  /**
   * Bytes of tensors this entry holds: modified weights and constants of every node, tensors derived
   * from the model's weights (flipped kernels) and canonizer outputs (folded BatchNorm).
   */
  bytes(): number {
    let n = 0;
    for (const c of this.nodeCaches.values()) n += c.bytes();
    for (const node of this.graph?.nodes ?? [])
      if (node.kind === 'linear' && node.op.params) n += node.op.params.bytes();
    for (const t of this.owned) n += t.size * 4;
    return n;
  }

  /** Frees the per-node caches only (they are rebuilt on the next call); the canonized graph stays. */
  dropNodeCaches(): void {
    for (const c of this.nodeCaches.values()) c.dispose();
    this.nodeCaches.clear();
  }

  dispose(): void {
    this.dropNodeCaches();
    for (const n of this.graph?.nodes ?? []) {
      // Parameters made by canonizers (folded BatchNorm) carry derived tensors of their own.
      if (n.kind === 'linear' && n.op.params && !isBaseParams(n.op.params)) n.op.params.dispose();
    }
    for (const t of this.owned) t.dispose();
    this.owned.length = 0;
  }
}

const baseParams = new WeakSet<Params>();
function isBaseParams(p: Params): boolean {
  return baseParams.has(p);
}

/** Everything cached for one model. */
class ModelEntry {
  private readonly composites = new Map<unknown, CompositeEntry>();

  constructor(
    readonly graph: Graph,
    readonly backend: string,
    readonly weightIds: unknown[],
    readonly output?: string,
  ) {
    for (const n of graph.nodes) if (n.kind === 'linear' && n.op.params) baseParams.add(n.op.params);
  }

  entry(composite: Composite): CompositeEntry {
    const key = composite.key ?? composite;
    let e = this.composites.get(key);
    if (e) {
      touch(e, this, key);
      return e;
    }
    e = new CompositeEntry(this.graph, composite);
    this.composites.set(key, e);
    touch(e, this, key);
    // Composites created per call (no key) must not pile up canonized graphs.
    while (this.composites.size > MAX_COMPOSITES_PER_MODEL) {
      const [oldestKey] = this.composites.keys();
      this.evict(oldestKey);
    }
    return e;
  }

  evict(key: unknown): void {
    const e = this.composites.get(key);
    if (!e) return;
    e.dispose();
    this.composites.delete(key);
    lru.delete(e);
  }

  dispose(): void {
    for (const e of this.composites.values()) {
      e.dispose();
      lru.delete(e);
    }
    this.composites.clear();
    for (const n of this.graph.nodes) if (n.kind === 'linear' && n.op.params) n.op.params.dispose();
    for (const t of this.graph.owned) t.dispose();
  }
}

const MAX_COMPOSITES_PER_MODEL = 8;
/** A model explain accepts. */
export type ExplainableModel = tf.LayersModel | tf.GraphModel;

const models = new WeakMap<ExplainableModel, ModelEntry>();

/** Every cached composite of every model, least recently used first. */
const lru = new Map<CompositeEntry, { model: ModelEntry; key: unknown }>();

function touch(e: CompositeEntry, model: ModelEntry, key: unknown): void {
  lru.delete(e);
  lru.set(e, { model, key });
}

let configuredLimit: number | null = null;

/**
 * Default bound of the cache, by backend: wasm's heap is at most 4 GB (often 2 GB) and holds the
 * activations too, a GPU's memory is shared with the page; on the CPU backends the host's RAM.
 */
function defaultLimit(backend: string): number {
  const MB = 1024 * 1024;
  if (backend === 'wasm') return 512 * MB;
  if (backend === 'webgl' || backend === 'webgpu') return 256 * MB;
  return 2048 * MB;
}

/** Options of {@link configureCache}. */
export interface CacheOptions {
  /**
   * Most bytes the cached modified weights of all models and composites may hold between calls; the
   * least recently used composites are freed first. `null` restores the default: 512 MB on wasm,
   * 256 MB on webgl/webgpu, 2 GB on cpu/tensorflow.
   */
  maxBytes?: number | null;
}

/** Sets the cache's bound (see {@link CacheOptions}); it applies from the next explain call. */
export function configureCache(options: CacheOptions): void {
  const { maxBytes } = options;
  if (maxBytes !== undefined && maxBytes !== null && !(Number.isFinite(maxBytes) && maxBytes >= 0)) {
    throw new Error(
      `lrp: configureCache needs maxBytes ≥ 0 in bytes (got ${String(maxBytes)}), or null for the default.`,
    );
  }
  if (maxBytes !== undefined) configuredLimit = maxBytes;
}

/** What the cache holds now: bytes, its bound on the current backend, and the composites cached. */
export function cacheStats(): { bytes: number; maxBytes: number; composites: number } {
  let bytes = 0;
  for (const e of lru.keys()) bytes += e.bytes();
  return { bytes, maxBytes: configuredLimit ?? defaultLimit(tf.getBackend()), composites: lru.size };
}

/**
 * Brings the cache under its bound after a call: least recently used composites first; if the one just
 * used is still too big alone, its per-node caches go (they are rebuilt on the next call).
 */
export function trimCache(current: CompositeEntry): void {
  const limit = configuredLimit ?? defaultLimit(tf.getBackend());
  let bytes = 0;
  const sizes = new Map<CompositeEntry, number>();
  for (const e of lru.keys()) {
    const b = e.bytes();
    sizes.set(e, b);
    bytes += b;
  }
  if (bytes <= limit) return;
  for (const [e, { model, key }] of [...lru]) {
    if (bytes <= limit) return;
    if (e === current) continue;
    bytes -= sizes.get(e)!;
    model.evict(key);
  }
  if (bytes > limit) current.dropNodeCaches();
}

function weightIds(model: ExplainableModel): unknown[] {
  if (isGraphModel(model)) return graphModelWeightIds(model);
  return model.weights.map((w) => (w.read() as unknown as { dataId: unknown }).dataId);
}

function sameIds(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The canonized graph of `model` for `composite`, built on first use and kept until the model's
 * weights change (any variable assigned: training, setWeights), the backend changes, or
 * {@link disposeCache} is called.
 */
export function compositeEntry(model: ExplainableModel, composite: Composite, output?: string): CompositeEntry {
  const backend = tf.getBackend();
  const ids = weightIds(model);
  let entry = models.get(model);
  if (entry && (entry.backend !== backend || !sameIds(entry.weightIds, ids) || entry.output !== output)) {
    entry.dispose();
    models.delete(model);
    entry = undefined;
  }
  if (!entry) {
    const graph = isGraphModel(model) ? importGraphModel(model, { output }) : buildGraph(model);
    entry = new ModelEntry(graph, backend, ids, output);
    models.set(model, entry);
  }
  return entry.entry(composite);
}

/**
 * Frees the tensors LRP cached for a model (modified weights, flipped kernels, bound terms). They are
 * also freed when the model's weights change; call this when you are done explaining a model.
 */
export function disposeCache(model: ExplainableModel): void {
  const entry = models.get(model);
  if (entry) {
    entry.dispose();
    models.delete(model);
  }
}
