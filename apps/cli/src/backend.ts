import { CliError } from './errors';
import type { BackendChoice } from './shared-options';

export interface BackendSummary {
  name: string;
  /** e.g. "wasm (SIMD, 2 threads)" */
  detail: string;
}

/** Selects the tfjs backend through @lrpjs/models (which also registers lrpjs's wasm kernels). */
export async function initBackend(choice: BackendChoice): Promise<BackendSummary> {
  const { selectBackend, backendInfo } = await import('@lrpjs/models');
  let name: string;
  try {
    name = await selectBackend({ backend: choice });
  } catch (err) {
    const why = (err as Error).message.split('\n')[0];
    throw new CliError(
      `the ${choice} backend does not load (${why})`,
      choice === 'tensorflow'
        ? 'install @tensorflow/tfjs-node with network access, or use --backend wasm'
        : 'use --backend auto',
    );
  }
  const info = backendInfo();
  const extras: string[] = [];
  if (info?.simd !== undefined) extras.push(info.simd ? 'SIMD' : 'no SIMD');
  if (info?.threads !== undefined) extras.push(`${info.threads} thread${info.threads === 1 ? '' : 's'}`);
  if (info?.simdConv != null) extras.push(`lrpjs convolutions${info.simdConv.fma ? ' with FMA' : ''}`);
  return { name, detail: extras.length ? `${name} (${extras.join(', ')})` : name };
}
