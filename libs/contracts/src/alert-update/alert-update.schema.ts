import { z } from 'zod';
import { zonedTimestamp } from '../common/timestamp';
import { riskLevelSchema } from '../prediction/risk-level';

export const ALERT_STATES = ['pending', 'acknowledged', 'resolved', 'expired'] as const;
export const alertStateSchema = z.enum(ALERT_STATES);
export type AlertState = z.infer<typeof alertStateSchema>;

export const ALERT_CHANGES = ['raised', 'assigned', 'acknowledged', 'resolved', 'expired', 'churned', 'reopened'] as const;
export const alertChangeSchema = z.enum(ALERT_CHANGES);
export type AlertChange = z.infer<typeof alertChangeSchema>;

/**
 * One change of a customer alert's life cycle, published by alerting on `alert-updates` from the same
 * transaction as the change (an outbox row and a relay: at least once, so consumers dedupe on
 * `update_id`). `raised` is emitted when the alert is created, so a consumer builds every alert's
 * state from this topic alone; `state` is the alert's state after the change.
 */
export const alertUpdateSchema = z.object({
  schema_version: z.literal(1),
  update_id: z.string().min(1),
  alert_id: z.string().min(1),
  customer_id: z.string().min(1),
  level: riskLevelSchema,
  state: alertStateSchema,
  change: alertChangeSchema,
  assignee: z.string().nullable(),
  by: z.string().nullable(),
  note: z.string().nullable(),
  /** The SLA deadline of the alert, when it has one. */
  due_at: zonedTimestamp.nullable(),
  occurred_at: zonedTimestamp,
});

export type AlertUpdate = z.infer<typeof alertUpdateSchema>;
