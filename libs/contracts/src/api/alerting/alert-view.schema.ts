import { z } from 'zod';
import { alertStateSchema } from '../../alert-update/alert-update.schema';

/** An alert as alerting's API shows it: ISO timestamps, its deadline to acknowledge and whether it is past it. */
export const alertViewSchema = z.object({
  alert_id: z.string(),
  customer_id: z.string(),
  prediction_id: z.string(),
  level: z.string(),
  risk_score: z.number(),
  message: z.string(),
  reason: z.string(),
  /** What the scorer said: recommended action, revenue at risk, top factors, experiment arm. */
  details: z.record(z.string(), z.unknown()),
  status: alertStateSchema,
  created_at: z.string(),
  acknowledged_at: z.string().nullable(),
  acknowledged_by: z.string().nullable(),
  resolved_at: z.string().nullable(),
  resolved_by: z.string().nullable(),
  /** `churned`: resolved because the customer churned; null: by a person. */
  resolution: z.enum(['churned']).nullable(),
  /** The person working the alert; null: nobody. */
  assignee: z.string().nullable(),
  assigned_at: z.string().nullable(),
  acknowledge_note: z.string().nullable(),
  resolve_note: z.string().nullable(),
  expired_at: z.string().nullable(),
  /** The deadline to acknowledge: creation plus the level's SLA target. */
  due_at: z.string(),
  /** Pending past its deadline when alerting answered. */
  overdue: z.boolean(),
});
export type AlertView = z.infer<typeof alertViewSchema>;

/** `GET /v1/alerts/{id}`: the alert and its notifications. */
export const alertDetailSchema = alertViewSchema.extend({
  notifications: z.array(
    z.object({
      channel: z.string(),
      kind: z.string(),
      status: z.string(),
      attempts: z.number(),
      delivered_via: z.string().nullable(),
      last_error: z.string().nullable(),
      rejected_recipients: z.array(z.string()),
    }),
  ),
});
export type AlertDetail = z.infer<typeof alertDetailSchema>;
