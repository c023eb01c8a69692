import { z } from 'zod';
import { alertViewSchema } from './alert-view.schema';

/** `GET /v1/alerts`: one page of the work queue with the total. */
export const alertQueuePageSchema = z.object({ alerts: z.array(alertViewSchema), page: z.number(), page_size: z.number(), total: z.number() });
export type AlertQueuePage = z.infer<typeof alertQueuePageSchema>;

export const BULK_RESULTS = ['acknowledged', 'resolved', 'already_acknowledged', 'already_resolved', 'not_found', 'conflict'] as const;

/** `POST /v1/alerts/bulk`: a result per alert, each in its own transaction. */
export const bulkAnswerSchema = z.object({
  action: z.enum(['acknowledge', 'resolve']),
  changed: z.number(),
  unchanged: z.number(),
  failed: z.number(),
  results: z.array(z.object({ alert_id: z.string(), result: z.enum(BULK_RESULTS), status: alertViewSchema.shape.status.nullable() })),
});
export type BulkAnswer = z.infer<typeof bulkAnswerSchema>;

export const alertHistoryEntrySchema = z.object({
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  by: z.string().nullable(),
  note: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AlertHistoryEntry = z.infer<typeof alertHistoryEntrySchema>;

/** `GET /v1/alerts/{id}/history`: oldest first. */
export const alertHistorySchema = z.object({ alert_id: z.string(), history: z.array(alertHistoryEntrySchema) });
export type AlertHistory = z.infer<typeof alertHistorySchema>;
