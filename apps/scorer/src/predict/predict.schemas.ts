import { z } from 'zod';

export const predictRequestSchema = z.object({
  /** Used for the experiment arm and echoed back; optional for what-if questions. */
  customer_id: z.string().min(1).max(200).optional(),
  /** The model inputs of the champion's spec, by name (checked against the model card). */
  features: z.record(z.string(), z.unknown()),
});

export type PredictRequest = z.output<typeof predictRequestSchema>;

export const batchQuerySchema = z.object({
  explain: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
});
