import * as tf from '@tensorflow/tfjs';
import { now } from './measure';

/**
 * Kernels that are convolution (or matrix-product) throughput: the arithmetic the FLOP counts are about.
 * Everything else (element-wise ops, reductions, transposes, pooling and its gradient, the optimizer's
 * updates, data copies) is the "not convolution" share the issue asks to see.
 */
export const CONV_KERNELS: ReadonlySet<string> = new Set([
  'Conv2D',
  'FusedConv2D',
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'DepthwiseConv2dNative',
  'FusedDepthwiseConv2D',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'BatchMatMul',
  '_FusedMatMul',
  'Conv2DTranspose',
]);

/** Time spent in one kernel name during the profiled run. */
export interface KernelTime {
  name: string;
  ms: number;
  calls: number;
}

/** Where one profiled repetition of a stage spent its time. */
export interface StageProfile {
  /** Wall-clock milliseconds of the profiled repetition (profiling itself adds a little). */
  wallMs: number;
  /** Milliseconds inside convolution / matmul kernels ({@link CONV_KERNELS}). */
  convMs: number;
  /** Milliseconds inside all other kernels. */
  otherKernelMs: number;
  /** Wall time outside any kernel: JavaScript (tape, gradients, tidy, batch assembly), data reads, waits. */
  outsideMs: number;
  /** (wall − conv) / wall: the share of the stage that is not convolution throughput. */
  nonConvShare: number;
  /** Kernels by total time, largest first. */
  kernels: KernelTime[];
}

/**
 * Runs `run` once under `tf.profile` and sums the kernel times by kernel name. Kernels a kernel calls
 * directly (lrpjs's wasm gradient kernels call Conv2D/Transpose without the engine) count in their caller.
 * On wasm the kernels run synchronously, so kernel times are wall times of the work itself.
 */
export async function profileRun(run: () => Promise<void>): Promise<StageProfile> {
  const t0 = now();
  const info = await tf.profile(async () => {
    await run();
    return [];
  });
  const wallMs = (now() - t0) * 1000;
  const byName = new Map<string, KernelTime>();
  for (const k of info.kernels) {
    // `name__op` entries are ops with a custom gradient (fusedConv2d__op, softmaxCrossEntropy__op): their
    // time includes the kernels they run, which are recorded on their own, so they are not counted again.
    if (k.name.endsWith('__op')) continue;
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const entry = byName.get(k.name) ?? { name: k.name, ms: 0, calls: 0 };
    entry.ms += ms;
    entry.calls += 1;
    byName.set(k.name, entry);
  }
  const kernels = [...byName.values()].sort((a, b) => b.ms - a.ms);
  return summarise(wallMs, kernels);
}

/** Conv / other / outside split of a kernel list (pure; exported for tests). */
export function summarise(wallMs: number, kernels: KernelTime[]): StageProfile {
  let convMs = 0;
  let otherKernelMs = 0;
  for (const k of kernels) {
    if (CONV_KERNELS.has(k.name)) convMs += k.ms;
    else otherKernelMs += k.ms;
  }
  const outsideMs = Math.max(0, wallMs - convMs - otherKernelMs);
  return {
    wallMs,
    convMs,
    otherKernelMs,
    outsideMs,
    nonConvShare: wallMs > 0 ? Math.max(0, wallMs - convMs) / wallMs : 0,
    kernels,
  };
}

/** A profile as text: one header line and the `top` kernels, each with its share of the wall time. */
export function formatProfile(label: string, p: StageProfile, top = 12): string[] {
  const pct = (ms: number) => `${((100 * ms) / Math.max(p.wallMs, 1e-9)).toFixed(1)}%`;
  const lines = [
    `${label}: ${p.wallMs.toFixed(1)} ms profiled; conv ${p.convMs.toFixed(1)} ms (${pct(p.convMs)}), ` +
      `other kernels ${p.otherKernelMs.toFixed(1)} ms (${pct(p.otherKernelMs)}), outside kernels ` +
      `${p.outsideMs.toFixed(1)} ms (${pct(p.outsideMs)}); not convolution: ${(100 * p.nonConvShare).toFixed(1)}%`,
  ];
  for (const k of p.kernels.slice(0, top)) {
    const conv = CONV_KERNELS.has(k.name) ? ' [conv]' : '';
    lines.push(
      `    ${k.name.padEnd(28)} ${k.ms.toFixed(1).padStart(9)} ms ${pct(k.ms).padStart(6)}  ${String(k.calls).padStart(5)} calls${conv}`,
    );
  }
  if (p.kernels.length > top) {
    const rest = p.kernels.slice(top).reduce((s, k) => s + k.ms, 0);
    lines.push(`    (${p.kernels.length - top} more kernels) ${rest.toFixed(1)} ms ${pct(rest)}`);
  }
  return lines;
}
