/**
 * The engine: a dedicated worker that owns TensorFlow.js (webgl, else wasm), the run's models and face-api, so
 * long LRP passes (the face backbone takes seconds on wasm) never freeze the page.
 */
import * as tf from '@tensorflow/tfjs';
import {
  conceptHeatmaps,
  conceptsInRegion,
  createComposite,
  rankConcepts,
  disposeCache,
  explain,
  loadModel,
  pixelFlipping,
  recommendedComposite,
  runBaseline,
} from './lrpjs';
import { probeBackends, startBackend } from './backendProbe';
import { lfwCropFromBox } from './faceCrop';
import type {
  BackendChoice,
  BackendName,
  BackendProbe,
  BackendState,
  ConceptsResult,
  ExplainResult,
  FaceResult,
  NamedComposite,
  RegionResult,
  FlipResult,
  ModelInfo,
  Request,
  Response,
  ResponseBody,
  TargetSpec,
} from './protocol';

// The DOM lib types `self` as a Window; this worker only needs these two members.
const scope = self as unknown as {
  postMessage(message: unknown, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
};
const models = new Map<
  string,
  { model: tf.LayersModel | tf.GraphModel; info: ModelInfo; normalization: { scale: number; offset: number } }
>();
let faceBase = '';

let wasmPaths = '';
let probes: BackendProbe[] = [];

/** Probes the backends (auto) or starts the requested one; a requested one that fails falls back to the probe. */
async function init(choice: BackendChoice, wasmBase: string, faces: string): Promise<BackendState> {
  faceBase = faces;
  wasmPaths = wasmBase;
  probes = await probeBackends(wasmBase);
  if (choice !== 'auto') {
    try {
      await startBackend(choice, wasmBase);
      return { backend: choice, chosen: 'requested', probes };
    } catch {
      // fall through to the measured choice; the page shows the probe's note for the requested one
    }
  }
  const failures: string[] = [];
  for (const p of probes.filter((q) => q.available)) {
    try {
      await startBackend(p.name, wasmBase);
      return { backend: p.name, chosen: 'measured', probes };
    } catch (e) {
      failures.push(`${p.name}: ${(e as Error).message}`);
    }
  }
  throw new Error(`No TensorFlow.js backend works in this browser (${failures.join('; ')}).`);
}

/** Switches backend; the models' weights move over lazily, the cached rule weights are rebuilt there. */
async function setBackend(name: BackendName): Promise<BackendState> {
  await startBackend(name, wasmPaths);
  for (const { model } of models.values()) disposeCache(model);
  return { backend: name, chosen: 'requested', probes };
}

async function load(net: string, source: Request & { type: 'load' }): Promise<ModelInfo> {
  const old = models.get(net);
  if (old) {
    disposeCache(old.model);
    old.model.dispose();
    models.delete(net);
  }
  const src = source.source;
  const { model, metadata } = await loadModel(src.kind === 'url' ? src.url : src.files);
  const shape = model.inputs[0].shape; // [null, h, w, c]
  const out = model.outputs[0].shape;
  const inputSize = Number(shape[1]);
  if (shape.length !== 4 || shape[1] !== shape[2] || shape[3] !== 3) {
    model.dispose();
    throw new Error(`${net}: expected a square RGB image input [null, s, s, 3]; the model takes [${shape}].`);
  }
  const info: ModelInfo = {
    net,
    inputSize,
    numClasses: Number(out[out.length - 1]),
    recommended: recommendedComposite(model),
    metadata: metadata as unknown as Record<string, unknown>,
  };
  // Pixels in [0, 1] → model input; every lrpjs model so far takes the tutorial's x·3 − 1.5.
  const normalization = metadata.normalization ?? { scale: 3, offset: -1.5 };
  models.set(net, { model, info, normalization });
  return info;
}

/**
 * A TensorFlow.js model folder picked in the page (model.json and its weight shards), GraphModel (converted, e.g.
 * @vladmandic/human's or nsfwjs's) or LayersModel. It takes pixels in [0, 1] (no lrpjs metadata says otherwise),
 * as most published image models do; its outputs are named output 0…k−1.
 */
/**
 * A GraphModel's model.json often leaves its output shape unknown (converted SavedModels, signatures):
 * one forward pass on a blank image tells how many outputs it has.
 */
function outputCount(model: tf.GraphModel | tf.LayersModel, size: number, declared: number): number {
  if (Number.isInteger(declared) && declared > 0) return declared;
  return tf.tidy(() => {
    const y = model.predict(tf.zeros([1, size, size, 3])) as tf.Tensor | tf.Tensor[] | tf.NamedTensorMap;
    const first = y instanceof tf.Tensor ? y : Array.isArray(y) ? y[0] : Object.values(y)[0];
    return first.size;
  });
}

async function loadExternal(net: string, files: File[]): Promise<ModelInfo> {
  const json = files.find((f) => f.name === 'model.json') ?? files.find((f) => f.name.endsWith('.json'));
  if (!json) throw new Error(`The folder for ${net} has no model.json; pick a TensorFlow.js model folder.`);
  let format: string | undefined;
  try {
    format = (JSON.parse(await json.text()) as { format?: string }).format;
  } catch {
    throw new Error(`${net}/${json.name} is not JSON; pick a TensorFlow.js model folder.`);
  }
  const handler = tf.io.browserFiles([json, ...files.filter((f) => f !== json && !f.name.endsWith('.json'))]);
  const graph = format === 'graph-model';
  const model = graph ? await tf.loadGraphModel(handler) : await tf.loadLayersModel(handler);
  const shape = model.inputs[0].shape ?? [];
  const outShape = model.outputs[0].shape ?? [];
  if (
    model.inputs.length !== 1 ||
    shape.length !== 4 ||
    shape[1] !== shape[2] ||
    shape[3] !== 3 ||
    !(Number(shape[1]) > 0)
  ) {
    model.dispose();
    throw new Error(
      `${net}: expected one square RGB image input [-1, s, s, 3]; the model takes ${model.inputs.map((i) => `[${i.shape}]`).join(', ')}.`,
    );
  }
  const numClasses = outputCount(model, Number(shape[1]), Number(outShape[outShape.length - 1]));
  const old = models.get(net);
  if (old) {
    disposeCache(old.model);
    old.model.dispose();
  }
  const info: ModelInfo = {
    net,
    inputSize: Number(shape[1]),
    numClasses,
    recommended: recommendedComposite(model),
    external: {
      format: graph ? 'graph-model' : 'layers-model',
      classNames: Array.from({ length: numClasses }, (_, i) => `output ${i}`),
    },
  };
  models.set(net, { model, info, normalization: { scale: 1, offset: 0 } });
  return info;
}

/** Class probabilities; a single output (a final sigmoid, skipped for LRP) is a yes/no probability. */
function probabilities(logits: Float32Array): Float32Array {
  if (logits.length === 1) return Float32Array.of(1 / (1 + Math.exp(-logits[0])));
  return softmax(logits);
}

function softmax(logits: Float32Array): Float32Array {
  const m = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

function targetWeights(target: TargetSpec, predicted: number, numClasses: number): [number, number][] {
  const check = (i: number) => {
    if (!Number.isInteger(i) || i < 0 || i >= numClasses) {
      throw new Error(`Target class ${i} does not exist; the model has classes 0..${numClasses - 1}.`);
    }
    return i;
  };
  switch (target.kind) {
    case 'predicted':
      return [[predicted, 1]];
    case 'class':
      return [[check(target.index), 1]];
    case 'contrast':
      if (check(target.index) === predicted) return [[predicted, 0]];
      return [
        [predicted, 1],
        [target.index, -1],
      ];
  }
}

async function runExplain(req: Request & { type: 'explain' }): Promise<ExplainResult> {
  const entry = models.get(req.net);
  if (!entry) throw new Error(`Model ${req.net} is not loaded; open the run again.`);
  const { model, info, normalization } = entry;
  if (req.size !== info.inputSize || req.pixels.length !== req.size * req.size * 3) {
    throw new Error(`${req.net} takes ${info.inputSize}×${info.inputSize}×3 pixels; got ${req.pixels.length} values.`);
  }
  const t0 = performance.now();
  const x = tf.tidy(
    () =>
      tf
        .tensor4d(req.pixels, [1, req.size, req.size, 3])
        .mul(normalization.scale)
        .add(normalization.offset) as tf.Tensor4D,
  );
  const logitsT = model.predict(x) as tf.Tensor;
  const logits = new Float32Array(await logitsT.data());
  logitsT.dispose();
  const predicted = logits.indexOf(Math.max(...logits));
  const explained = targetWeights(req.target, predicted, info.numClasses);
  const weights = new Float32Array(info.numClasses);
  for (const [c, w] of explained) weights[c] += w;
  const targetT = tf.tensor2d(weights, [1, info.numClasses]);
  let summed: tf.Tensor;
  try {
    if (req.method !== 'lrp') needsSyncReads(`The ${req.method} baseline`);
    // The logits read above, and no finiteness check inside: explain reads nothing back synchronously (WebGPU in a
    // worker cannot). The card checks the total it gets (conservation.ts says when relevance diverged).
    const result =
      req.method === 'lrp'
        ? explain(model, x, {
            target: targetT,
            composite: createComposite(req.composite.name, req.composite.params),
            outputValues: logits,
            checkFinite: false,
          })
        : runBaseline(req.method, model, x, { target: targetT });
    summed = tf.tidy(() => result.relevance.sum(-1));
    result.relevance.dispose();
    result.output.dispose();
    result.layers?.forEach((l) => l.relevance.dispose());
  } finally {
    x.dispose();
    targetT.dispose();
  }
  const relevance = new Float32Array(await summed.data());
  summed.dispose();
  const ms = performance.now() - t0;
  let total = 0;
  for (const v of relevance) total += v;
  return {
    net: req.net,
    size: req.size,
    relevance,
    total,
    logits,
    probabilities: probabilities(logits),
    predicted,
    explained,
    ms,
    backend: tf.getBackend(),
    method: req.method,
  };
}

/** @lrpjs/attribution reads values synchronously (dataSync), which WebGPU in a worker answers with zeros. */
function needsSyncReads(what: string): void {
  if (tf.getBackend() === 'webgpu') {
    throw new Error(
      `${what} reads values back synchronously, which WebGPU cannot do in a worker: choose wasm or webgl.`,
    );
  }
}

/** Pixel-flipping settings for a live curve: 8×8 regions of the image, 16 steps each way (34 forward rows). */
const FLIP_STEPS = 16;
const FLIP_REGIONS_PER_SIDE = 8;

/** MoRF and LeRF curves of the tracked class's logit as the heatmap's regions are replaced by the image mean. */
async function runFlip(req: Request & { type: 'flip' }): Promise<FlipResult> {
  const entry = models.get(req.net);
  if (!entry) throw new Error(`Model ${req.net} is not loaded; open the run again.`);
  needsSyncReads('Pixel flipping');
  const { model, normalization } = entry;
  if (req.heat.length !== req.size * req.size) {
    throw new Error(`${req.net}: the heatmap has ${req.heat.length} values, not ${req.size}×${req.size}.`);
  }
  const t0 = performance.now();
  const patch = Math.max(1, Math.round(req.size / FLIP_REGIONS_PER_SIDE));
  const x = tf.tidy(
    () =>
      tf
        .tensor4d(req.pixels, [1, req.size, req.size, 3])
        .mul(normalization.scale)
        .add(normalization.offset) as tf.Tensor4D,
  );
  const heat = tf.tensor3d(req.heat, [1, req.size, req.size]);
  try {
    const r = pixelFlipping(model, x, heat, { target: [req.target], steps: FLIP_STEPS, patch, replacement: 'mean' });
    return {
      net: req.net,
      fraction: r.fraction,
      morf: r.morf!.logit,
      lerf: r.lerf!.logit,
      aopc: r.morf!.aopcLogit,
      srg: r.srg!.logit,
      target: req.target,
      steps: FLIP_STEPS,
      patch,
      replacement: r.protocol.replacement,
      ms: performance.now() - t0,
    };
  } finally {
    x.dispose();
    heat.dispose();
  }
}

// ---------------------------------------------------------------------------------------------- concepts (CRP)
function conceptInput(req: { net: string; pixels: Float32Array; size: number }) {
  const entry = models.get(req.net);
  if (!entry) throw new Error(`Model ${req.net} is not loaded; open the run again.`);
  needsSyncReads('Concept Relevance Propagation');
  const { model, normalization, info } = entry;
  if (!(model instanceof tf.LayersModel)) throw new Error(`${req.net}: concepts need a LayersModel.`);
  if (req.size !== info.inputSize || req.pixels.length !== req.size * req.size * 3) {
    throw new Error(`${req.net} takes ${info.inputSize}×${info.inputSize}×3 pixels; got ${req.pixels.length} values.`);
  }
  const x = tf.tidy(
    () =>
      tf
        .tensor4d(req.pixels, [1, req.size, req.size, 3])
        .mul(normalization.scale)
        .add(normalization.offset) as tf.Tensor4D,
  );
  return { model, x };
}

function atlasComposite(c: NamedComposite) {
  // The atlas's composite, so the image's concepts are ranked as the references were collected.
  return createComposite(c.name as Parameters<typeof createComposite>[0], c.params ?? {});
}

/** Summed over colour channels: [n, h, w, 3] → n·h·w values. */
async function channelSums(t: tf.Tensor): Promise<Float32Array> {
  const s = tf.sum(t, -1);
  const out = new Float32Array(await s.data());
  s.dispose();
  return out;
}

async function runConcepts(req: Request & { type: 'concepts' }): Promise<ConceptsResult> {
  const t0 = performance.now();
  const { model, x } = conceptInput(req);
  const composite = atlasComposite(req.composite);
  try {
    const [ranking] = rankConcepts(model, x, {
      target: req.target === 'predicted' ? 'predicted' : [req.target],
      layer: req.layer,
      composite,
    });
    const target = ranking.target;
    const concepts = ranking.concepts.slice(0, req.top);
    const plainR = explain(model, x, { target: [target], composite });
    const plain = await channelSums(plainR.relevance);
    tf.dispose([plainR.relevance, plainR.output]);
    const cond = conceptHeatmaps(model, x, {
      target: [target],
      layer: req.layer,
      channels: concepts.map((c) => c.channel),
      composite,
    });
    const heatmaps = await channelSums(cond.relevance);
    tf.dispose([cond.relevance, cond.output]);
    return {
      net: req.net,
      layer: req.layer,
      target,
      total: ranking.total,
      concepts,
      size: req.size,
      heatmaps,
      plain,
      ms: performance.now() - t0,
    };
  } finally {
    x.dispose();
  }
}

async function runRegion(req: Request & { type: 'region' }): Promise<RegionResult> {
  const t0 = performance.now();
  const { model, x } = conceptInput(req);
  try {
    const [found] = conceptsInRegion(model, x, {
      target: req.target === 'predicted' ? 'predicted' : [req.target],
      layer: req.layer,
      region: req.region,
      composite: atlasComposite(req.composite),
    });
    return {
      net: req.net,
      layer: req.layer,
      region: req.region,
      concepts: found.slice(0, req.top),
      ms: performance.now() - t0,
    };
  } finally {
    x.dispose();
  }
}

// ---------------------------------------------------------------------------------------------- face detection
/** SSD score a detection needs (face-api's default 0.5; calibrate-crop.ts measured LFW at 0.5). */
const FACE_MIN_CONFIDENCE = 0.5;
type FaceApi = typeof import('@vladmandic/face-api');
let faceapi: Promise<FaceApi> | undefined;

/** face-api assumes a window; in a worker we hand it OffscreenCanvas and fetch (it only sees tensors from us). */
function faceApi(): Promise<FaceApi> {
  faceapi ??= (async () => {
    const api = (await import('@vladmandic/face-api/dist/face-api.esm-nobundle.js')) as unknown as FaceApi;
    api.env.setEnv({
      Canvas: OffscreenCanvas as unknown as typeof HTMLCanvasElement,
      CanvasRenderingContext2D: OffscreenCanvasRenderingContext2D as unknown as typeof CanvasRenderingContext2D,
      Image: class {} as unknown as typeof HTMLImageElement,
      ImageData,
      Video: class {} as unknown as typeof HTMLVideoElement,
      createCanvasElement: () => new OffscreenCanvas(1, 1) as unknown as HTMLCanvasElement,
      createVideoElement: () => {
        throw new Error('face-api: no video in the worker');
      },
      createImageElement: () => {
        throw new Error('face-api: images are passed as tensors in the worker');
      },
      fetch: (url: string, init?: RequestInit) => fetch(url, init),
      readFile: () => {
        throw new Error('face-api: no file system in the browser');
      },
    });
    await api.nets.ssdMobilenetv1.loadFromUri(faceBase);
    return api;
  })();
  faceapi.catch(() => (faceapi = undefined));
  return faceapi;
}

function readPixels(
  bitmap: ImageBitmap,
  maxSide: number,
): { data: Uint8ClampedArray; width: number; height: number; scale: number } {
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, width, height);
  return { data: ctx.getImageData(0, 0, width, height).data, width, height, scale };
}

/** The largest face and its LFW-like crop, or `noFace` (the page then offers a manual crop). */
async function detectFace(
  req: Request & { type: 'face' },
): Promise<FaceResult | { noFace: true; imageWidth: number; imageHeight: number }> {
  const { bitmap } = req;
  try {
    const api = await faceApi();
    // SSD sees 512×512 anyway; a smaller copy keeps the tensor small for phone-camera photos.
    const small = readPixels(bitmap, 1024);
    const rgb = new Int32Array(small.width * small.height * 3);
    for (let p = 0, q = 0; p < small.data.length; p += 4, q += 3) {
      rgb[q] = small.data[p];
      rgb[q + 1] = small.data[p + 1];
      rgb[q + 2] = small.data[p + 2];
    }
    const input = tf.tensor3d(rgb, [small.height, small.width, 3], 'int32');
    let detections: { box: { x: number; y: number; width: number; height: number }; score: number }[];
    try {
      detections = await api.detectAllFaces(
        input as unknown as Parameters<FaceApi['detectAllFaces']>[0],
        new api.SsdMobilenetv1Options({ minConfidence: FACE_MIN_CONFIDENCE }),
      );
    } finally {
      input.dispose();
    }
    if (detections.length === 0) return { noFace: true, imageWidth: bitmap.width, imageHeight: bitmap.height };
    // The largest face: group photos explain their main subject.
    const best = detections.reduce((a, b) => (b.box.width * b.box.height > a.box.width * a.box.height ? b : a));
    const box = {
      x: best.box.x / small.scale,
      y: best.box.y / small.scale,
      width: best.box.width / small.scale,
      height: best.box.height / small.scale,
      score: best.score,
    };
    return {
      box,
      crop: lfwCropFromBox(box),
      imageWidth: bitmap.width,
      imageHeight: bitmap.height,
      facesFound: detections.length,
    };
  } finally {
    bitmap.close();
  }
}

async function handle(req: Request): Promise<ResponseBody> {
  switch (req.type) {
    case 'init':
      return init(req.backend, req.wasmBase, req.faceBase);
    case 'setBackend':
      return setBackend(req.backend);
    case 'load':
      return load(req.net, req);
    case 'loadExternal':
      return loadExternal(req.net, req.files);
    case 'unload':
      for (const { model } of models.values()) {
        disposeCache(model);
        model.dispose();
      }
      models.clear();
      return null;
    case 'explain':
      return runExplain(req);
    case 'flip':
      return runFlip(req);
    case 'concepts':
      return runConcepts(req);
    case 'region':
      return runRegion(req);
    case 'face':
      return detectFace(req);
    case 'prepareFace':
      await faceApi();
      return null;
    case 'memory':
      return { numTensors: tf.memory().numTensors };
  }
}

scope.onmessage = async (event: MessageEvent<{ id: number; req: Request }>) => {
  const { id, req } = event.data;
  try {
    const body = await handle(req);
    const transfer: Transferable[] = [];
    if (body && 'relevance' in body) transfer.push(body.relevance.buffer, body.logits.buffer);
    scope.postMessage({ id, ok: true, body } satisfies Response, transfer);
  } catch (e) {
    scope.postMessage({ id, ok: false, error: (e as Error)?.message ?? String(e) } satisfies Response, []);
  }
};
