import { z } from 'zod';
import { zonedTimestamp } from '../common/timestamp';
import { riskLevelSchema } from '../prediction/risk-level';

/** Where an alert stands after the change: `expired` is an acknowledgment that no longer suppresses (ALERT_ACK_EXPIRY_HOURS). */
export const ALERT_STATES = ['pending', 'acknowledged', 'resolved', 'expired'] as const;
export const alertStateSchema = z.enum(ALERT_STATES);
export type AlertState = z.infer<typeof alertStateSchema>;

/** What happened to the alert; `churned` is a resolution because the customer churned. */
export const ALERT_CHANGES = ['raised', 'assigned', 'acknowledged', 'resolved', 'expired', 'churned', 'reopened'] as const;
export const alertChangeSchema = z.enum(ALERT_CHANGES);
export type AlertChange = z.infer<typeof alertChangeSchema>;

/**
 * One change of an alert's life cycle on `alert-updates` (key: customer_id), written by alerting in the
 * transaction of the change and published by its relay at least once: consumers dedupe on `update_id`.
 * Every alert starts with `raised`, so the alert's current state can be built from this topic alone.
 */
export const alertUpdateSchema = z.object({
  schema_version: z.literal(1),
  /** Unique per change; a redelivery carries the same id. */
  update_id: z.string().min(1),
  alert_id: z.string().min(1),
  customer_id: z.string().min(1),
  level: riskLevelSchema,
  state: alertStateSchema,
  change: alertChangeSchema,
  /** Who the alert is assigned to after the change; null: nobody. */
  assignee: z.string().min(1).nullable(),
  /** Who made the change (a person, or `system:…`); null for `raised`. */
  by: z.string().min(1).nullable(),
  note: z.string().nullable(),
  /** The alert's time-to-acknowledge deadline (creation + its level's SLA target). */
  due_at: zonedTimestamp.nullable(),
  occurred_at: zonedTimestamp,
  // The alert's figures as the change left them, carried so that monitoring's queue and acknowledgment
  // SLA read no table of alerting's. Optional: an update written before they were carried parses.
  risk_score: z.number().int().min(0).max(100).optional(),
  message: z.string().optional(),
  /** When the alert was raised. */
  raised_at: zonedTimestamp.optional(),
  /** When it was acknowledged (resolving an unacknowledged alert acknowledges it); null: not yet. */
  acknowledged_at: zonedTimestamp.nullable().optional(),
});

export type AlertUpdate = z.infer<typeof alertUpdateSchema>;
