import { z } from 'zod';

/** `.lrpjs-lock.json` inside a `<run>.partial` folder: who is writing it. */
export const runLockSchema = z.object({
  pid: z.number().int().positive(),
  hostname: z.string(),
  startedAt: z.string(),
  command: z.string().optional(),
});

export type RunLockInfo = z.infer<typeof runLockSchema>;
