import { z } from 'zod';

/** A path inside the run folder: the web app fetches it and the CLI reads it, so it may not leave the folder. */
export const relativeFile = z
  .string()
  .min(1)
  .max(300)
  .refine((p) => !p.startsWith('/') && !p.includes('\\') && !/^[a-z]+:/i.test(p) && !p.split('/').includes('..'), {
    message: 'a path inside the run folder (no "..", not absolute)',
  });

export const accuracy = z.number().min(0).max(1);
export const count = z.number().int().nonnegative();
export const classIndex = z.number().int().nonnegative();
