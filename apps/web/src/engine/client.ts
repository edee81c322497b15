import type {
  BackendChoice,
  BackendName,
  BackendState,
  CompositeSpec,
  ExplainResult,
  FaceResult,
  ConceptsResult,
  FlipResult,
  MethodName,
  NamedComposite,
  RegionResult,
  ModelInfo,
  Request,
  Response,
  ResponseBody,
  TargetSpec,
} from './protocol';
import type { ModelSource } from '../run/types';

/** The page's handle on the engine worker: one promise per request, answered in order. */
export class Engine {
  private readonly worker: Worker;
  private next = 1;
  private readonly pending = new Map<number, { resolve: (b: ResponseBody) => void; reject: (e: Error) => void }>();

  constructor() {
    this.worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'lrpjs-engine' });
    this.worker.onmessage = (event: MessageEvent<Response>) => {
      const r = event.data;
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      if (r.ok) p.resolve(r.body);
      else p.reject(new Error(r.error));
    };
    this.worker.onerror = (event) => {
      const error = new Error(`The engine worker failed: ${event.message || 'script error'}. Reload the page.`);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    };
  }

  private call<T extends ResponseBody>(req: Request, transfer: Transferable[] = []): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (b: ResponseBody) => void, reject });
      this.worker.postMessage({ id, req }, transfer);
    });
  }

  init(backend: BackendChoice): Promise<BackendState> {
    const base = new URL('./', document.baseURI);
    return this.call({
      type: 'init',
      backend,
      wasmBase: new URL('tfjs-wasm/', base).href,
      faceBase: new URL('face-models/', base).href,
    });
  }

  setBackend(backend: BackendName): Promise<BackendState> {
    return this.call({ type: 'setBackend', backend });
  }

  load(net: string, source: ModelSource): Promise<ModelInfo> {
    return this.call({ type: 'load', net, source });
  }

  /** A model folder picked in the page (GraphModel or LayersModel), explained beside the run's models. */
  loadExternal(net: string, files: File[]): Promise<ModelInfo> {
    return this.call({ type: 'loadExternal', net, files });
  }

  unload(): Promise<null> {
    return this.call({ type: 'unload' });
  }

  /** `pixels` (size×size×3 in [0, 1]) is copied, so the caller keeps its array. */
  explain(
    net: string,
    pixels: Float32Array,
    size: number,
    target: TargetSpec,
    composite: CompositeSpec,
    method: MethodName = 'lrp',
  ): Promise<ExplainResult> {
    return this.call({ type: 'explain', net, pixels: pixels.slice(), size, target, composite, method });
  }

  /** Pixel-flipping curves of `heat` (size×size, summed over channels) for class `target`; arrays are copied. */
  flip(net: string, pixels: Float32Array, size: number, heat: Float32Array, target: number): Promise<FlipResult> {
    return this.call({ type: 'flip', net, pixels: pixels.slice(), size, heat: heat.slice(), target });
  }

  /** The top `top` concepts of the image at `layer`, their conditional heatmaps and the plain heatmap. */
  concepts(
    net: string,
    pixels: Float32Array,
    size: number,
    target: number | 'predicted',
    layer: string,
    top: number,
    composite: NamedComposite,
  ): Promise<ConceptsResult> {
    return this.call({ type: 'concepts', net, pixels: pixels.slice(), size, target, layer, top, composite });
  }

  /** The concepts that make `region` (input pixels, half-open) of the heatmap relevant, best first. */
  region(
    net: string,
    pixels: Float32Array,
    size: number,
    target: number | 'predicted',
    layer: string,
    top: number,
    composite: NamedComposite,
    region: RegionResult['region'],
  ): Promise<RegionResult> {
    return this.call({ type: 'region', net, pixels: pixels.slice(), size, target, layer, top, composite, region });
  }

  /** Finds the largest face and its LFW-like crop, or says none was found. The bitmap is transferred (closed). */
  face(bitmap: ImageBitmap): Promise<FaceResult | { noFace: true; imageWidth: number; imageHeight: number }> {
    return this.call({ type: 'face', bitmap }, [bitmap]);
  }

  /** Loads the face detector now, so photos work later without the network. */
  prepareFace(): Promise<null> {
    return this.call({ type: 'prepareFace' });
  }

  memory(): Promise<{ numTensors: number }> {
    return this.call({ type: 'memory' });
  }
}
