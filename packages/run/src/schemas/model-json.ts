import { z } from 'zod';

/** Bytes per element of the dtypes tfjs stores weights in (quantized weights: the stored dtype). */
export const WEIGHT_DTYPE_BYTES = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 } as const;

const weightEntrySchema = z.object({
  name: z.string().max(1000),
  shape: z.array(z.number().int().nonnegative()).max(8),
  dtype: z.enum(['float32', 'int32', 'bool', 'string', 'complex64']),
  quantization: z
    .object({ dtype: z.enum(['uint8', 'uint16', 'float16']) })
    .catchall(z.unknown())
    .optional(),
});

/**
 * The parts of a tfjs model.json that are read before tfjs sees it: the weight manifest decides which files
 * are opened and how many bytes are expected, so it is validated first (a model folder is untrusted).
 */
export const modelJsonSchema = z
  .object({
    // tfjs itself checks the topology (and says what is wrong with it); only its type is checked here.
    modelTopology: z.record(z.string(), z.unknown()).optional(),
    weightsManifest: z
      .array(
        z.object({
          paths: z.array(z.string().min(1).max(1000)).min(1).max(10_000),
          weights: z.array(weightEntrySchema).max(100_000),
        }),
      )
      .max(10_000),
    userDefinedMetadata: z.record(z.string(), z.unknown()).optional(),
  })
  .catchall(z.unknown());

export type ModelJsonManifest = z.infer<typeof modelJsonSchema>;
export type WeightEntry = z.infer<typeof weightEntrySchema>;

/** Bytes a weight entry takes in the weight files; Infinity for shapes no file could hold. */
export function weightEntryBytes(entry: WeightEntry): number {
  if (entry.dtype === 'string' || entry.dtype === 'complex64') {
    // strings have per-value lengths; complex64 is never saved by layers models
    return entry.dtype === 'complex64' ? 8 * product(entry.shape) : NaN;
  }
  const dtype = entry.quantization?.dtype ?? entry.dtype;
  return WEIGHT_DTYPE_BYTES[dtype] * product(entry.shape);
}

function product(shape: number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return Number.isSafeInteger(n) ? n : Infinity;
}
