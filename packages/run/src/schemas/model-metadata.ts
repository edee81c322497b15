import { z } from 'zod';

/** The version of the lrpjs metadata in a model.json this lrpjs writes and reads. */
export const MODEL_METADATA_VERSION = 1;

export const normalizationSchema = z.object({ scale: z.number(), offset: z.number() });

/** SHA-256 and length of the weight bytes, as saved: loading checks both, so damage is reported, not computed on. */
export const weightsDigestSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, { message: '64 lowercase hex digits' }),
  bytes: z.number().int().nonnegative(),
});

/**
 * What lrpjs stores in model.json's `userDefinedMetadata.lrpjs`. Unversioned metadata (written before
 * versions existed) reads as version 1; unknown fields are kept (dataset descriptions and the like).
 */
export const modelMetadataSchema = z
  .object({
    version: z.literal(MODEL_METADATA_VERSION).optional(),
    architecture: z.string().min(1).max(200),
    classNames: z.array(z.string().max(500)).min(1).max(100_000),
    inputShape: z.tuple([
      z.number().int().positive().max(100_000),
      z.number().int().positive().max(100_000),
      z.number().int().positive().max(4096),
    ]),
    normalization: normalizationSchema.optional(),
    training: z.record(z.string(), z.unknown()).optional(),
    metrics: z.record(z.string(), z.unknown()).optional(),
    weights: weightsDigestSchema.optional(),
  })
  .catchall(z.unknown());

export type ModelMetadataInput = z.infer<typeof modelMetadataSchema>;
export type WeightsDigest = z.infer<typeof weightsDigestSchema>;
