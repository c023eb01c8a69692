import { z } from 'zod';
import { zonedTimestamp } from '../common/timestamp';

/**
 * What a consumer publishes to a dead-letter topic. The original bytes travel untouched (base64)
 * so that `churn dlq replay` can re-drive exactly what was received.
 */
export const deadLetterSchema = z.object({
  source_topic: z.string().min(1),
  partition: z.number().int().nonnegative(),
  offset: z.string().min(1),
  key: z.string().nullable(),
  value_base64: z.string().nullable(),
  headers: z.record(z.string(), z.string()).default({}),
  reason: z.string().min(1),
  error_code: z.string().min(1),
  consumer_group: z.string().min(1),
  failed_at: zonedTimestamp,
});

export type DeadLetter = z.infer<typeof deadLetterSchema>;
