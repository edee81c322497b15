/**
 * Backend choice by measurement (worker side): every backend that starts (WebGPU, WebGL, wasm) explains the same
 * small probe net, and the fastest wins; among equals the order is WebGPU, WebGL, wasm. A WebGL context or a WebGPU
 * adapter rendered in software (SwiftShader, llvmpipe, a fallback adapter) is measured but never wins by default:
 * its LRP is several times slower than wasm and face detection tens of times slower.
 */
import * as tf from '@tensorflow/tfjs';
import { createComposite, disposeCache, explain, selectBackend } from './lrpjs';
import type { BackendName, BackendProbe } from './protocol';

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render|mesa offscreen/i;

/** The WebGL renderer's name (unmasked where the browser allows), or undefined without WebGL. */
export function webglRenderer(): string | undefined {
  try {
    const canvas = new OffscreenCanvas(1, 1);
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return undefined;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const name = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return name;
  } catch {
    return undefined;
  }
}

/** The WebGPU adapter's name and whether it renders in software, or undefined without WebGPU. */
export async function webgpuAdapter(): Promise<{ name: string; software: boolean } | undefined> {
  const gpu = (navigator as unknown as { gpu?: GpuLike }).gpu;
  if (!gpu) return undefined;
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return undefined;
    const info = adapter.info ?? {};
    const name = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'WebGPU';
    // Chromium's SwiftShader adapter says isFallbackAdapter (newer: in info) and architecture "swiftshader".
    const fallback = adapter.isFallbackAdapter === true || info.isFallbackAdapter === true;
    return { name, software: fallback || isSoftwareRenderer(name) };
  } catch {
    return undefined;
  }
}

/** The part of the WebGPU API the probe reads (newer than the WebGPU types tfjs brings: `info`, its fallback flag). */
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<{
    isFallbackAdapter?: boolean;
    info?: {
      vendor?: string;
      architecture?: string;
      device?: string;
      description?: string;
      isFallbackAdapter?: boolean;
    };
  } | null>;
}

export function isSoftwareRenderer(renderer: string | undefined): boolean {
  return renderer !== undefined && SOFTWARE_RENDERER.test(renderer);
}

/** A net with the layer kinds of the real ones (conv, pool, dense), big enough for timings to mean something. */
function probeNet(): tf.LayersModel {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [64, 64, 3],
        filters: 16,
        kernelSize: 5,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(1),
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(2) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(3) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 19, kernelInitializer: init(4) }),
    ],
  });
}

/** Milliseconds of one probe explanation on the active backend (after a warm-up that compiles kernels). */
async function timeProbe(): Promise<number> {
  const model = probeNet();
  const x = tf.randomUniform([1, 64, 64, 3], -1.5, 1.5, 'float32', 7) as tf.Tensor4D;
  const composite = createComposite('tutorial');
  const once = async () => {
    const logits = model.predict(x) as tf.Tensor;
    const outputValues = (await logits.data()) as Float32Array;
    logits.dispose();
    const r = explain(model, x, { composite, target: 0, outputValues, checkFinite: false });
    await r.relevance.data();
    r.relevance.dispose();
    r.output.dispose();
    r.layers?.forEach((l) => l.relevance.dispose());
  };
  try {
    await once();
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await once();
      times.push(performance.now() - t0);
    }
    return times.sort((a, b) => a - b)[1];
  } finally {
    disposeCache(model);
    model.dispose();
    x.dispose();
  }
}

/**
 * Starts `name` and proves it computes right (a context can exist yet fail on first use): a 3×3 box sum over a
 * 4×4 image of ones has 4 in the corners and 9 in the middle. Read asynchronously: WebGPU in a worker cannot read
 * synchronously, which is also why the engine hands explain() the outputs it read (`outputValues`).
 */
export async function startBackend(name: BackendName, wasmPaths: string): Promise<void> {
  await selectBackend({ backend: name, wasmPaths });
  const y = tf.tidy(() =>
    tf.conv2d(tf.ones([1, 4, 4, 1]) as tf.Tensor4D, tf.ones([3, 3, 1, 1]) as tf.Tensor4D, 1, 'same'),
  );
  const got = Array.from(await y.data());
  tf.dispose(y);
  const want = [4, 6, 6, 4, 6, 9, 9, 6, 6, 9, 9, 6, 4, 6, 6, 4];
  if (got.some((v, i) => v !== want[i])) throw new Error(`${name} computes a wrong convolution (${got.join(', ')})`);
}

/** Measures every candidate; returns them fastest first, software WebGL and failures last. */
export async function probeBackends(wasmPaths: string): Promise<BackendProbe[]> {
  const renderer = webglRenderer();
  const gpu = await webgpuAdapter();
  const devices: Partial<Record<BackendName, { name: string; software: boolean } | undefined>> = {
    webgpu: gpu,
    webgl: renderer === undefined ? undefined : { name: renderer, software: isSoftwareRenderer(renderer) },
  };
  const missing: Partial<Record<BackendName, string>> = {
    webgpu: 'no WebGPU adapter in this browser',
    webgl: 'no WebGL in this browser',
  };
  const out: BackendProbe[] = [];
  for (const name of ['webgpu', 'webgl', 'wasm'] as BackendName[]) {
    const device = devices[name];
    if (name !== 'wasm' && device === undefined) {
      out.push({ name, available: false, note: missing[name] });
      continue;
    }
    try {
      await startBackend(name, wasmPaths);
      const ms = await timeProbe();
      const software = device?.software ?? false;
      out.push({
        name,
        available: true,
        ms,
        software,
        note: device ? `${device.name}${software ? ': software rendering, not chosen by default' : ''}` : undefined,
      });
    } catch (e) {
      out.push({ name, available: false, note: (e as Error).message });
    }
  }
  out.push({ name: 'cpu', available: true, note: 'plain JavaScript; the last resort' });
  // Hardware by speed, then software renderers, then unmeasured (cpu), then failures; the sort is stable, so
  // equal times keep the order above (WebGPU, WebGL, wasm).
  const rank = (p: BackendProbe) => (!p.available ? 3 : p.ms === undefined ? 2.5 : p.software ? 2 : 0);
  return out.sort((a, b) => rank(a) - rank(b) || (a.ms ?? Infinity) - (b.ms ?? Infinity));
}
