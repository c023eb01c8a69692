import { z } from 'zod';
import { zonedTimestamp } from '../common/timestamp';

// Postgres text cannot hold NUL: refused here (a dead letter naming the field) rather than failing the insert.
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !s.includes('\u0000'), { message: 'must not contain a NUL character' });

/** Where an intervention on the topic comes from: a retention task completed in a CRM. */
export const INTERVENTION_SOURCES = ['salesforce', 'hubspot'] as const;

/**
 * One intervention a CRM reports as done (a retention task completed), published by crm-sync on
 * `interventions` and stored by monitoring with the same checks and the same idempotency as
 * `POST /v1/interventions`: the id is derived from `source` and `source_key` (the CRM's task id), so
 * reading the same task twice records one intervention.
 *
 * `cost` is absent when the CRM knows none (a task has no cost): monitoring then counts the
 * customer as treated at the risk level's estimate and says its cost basis is `estimated`.
 */
export const interventionSchema = z.object({
  customer_id: text(200),
  performed_by: text(200),
  performed_at: zonedTimestamp,
  action: text(500),
  channel: text(100).optional(),
  cost: z.number().finite().nonnegative().optional(),
  source: z.enum(INTERVENTION_SOURCES),
  source_key: text(200),
});

export type Intervention = z.infer<typeof interventionSchema>;
