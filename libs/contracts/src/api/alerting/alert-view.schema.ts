import { z } from 'zod';
import { alertStateSchema } from '../../alert-update/alert-update.schema';
import { topFactorSchema } from '../../prediction/prediction.schema';
import { riskLevelSchema } from '../../prediction/risk-level';

/** What the scorer said about the customer when the alert was raised (more fields may follow). */
export const alertDetailsSchema = z.looseObject({
  recommended_action: z.string().optional(),
  revenue_at_risk: z.number().optional(),
  intervention_cost: z.number().optional(),
  top_factors: z.array(topFactorSchema).optional(),
  model_version: z.string().optional(),
});
export type AlertDetails = z.infer<typeof alertDetailsSchema>;

/** An alert as alerting's API shows it: ISO timestamps, its deadline to acknowledge and whether it is past it. */
export const alertViewSchema = z.object({
  alert_id: z.string(),
  customer_id: z.string(),
  prediction_id: z.string(),
  level: riskLevelSchema,
  risk_score: z.number(),
  message: z.string(),
  reason: z.string(),
  details: alertDetailsSchema,
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
