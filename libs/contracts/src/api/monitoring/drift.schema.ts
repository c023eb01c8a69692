import { z } from 'zod';
import { modelRoleSchema } from './quality.schema';

export const featureDriftSchema = z.object({
  subject: z.string(),
  kind: z.enum(['numeric', 'categorical']),
  psi: z.number(),
  ks_statistic: z.number().nullable(),
  ks_p_value: z.number().nullable(),
  breached: z.boolean(),
});
export type FeatureDrift = z.infer<typeof featureDriftSchema>;

export const performanceDriftSchema = z.object({
  cv_roc_auc: z.number().nullable(),
  live_roc_auc: z.number().nullable(),
  labelled: z.number(),
  /** (CV − live) / CV; positive when the live figure is worse. */
  relative_drop: z.number().nullable(),
  breached: z.boolean(),
});

export const modelDriftSchema = z.object({
  model_version: z.string(),
  role: modelRoleSchema,
  customers: z.number(),
  /** False when fewer customers than the minimum were scored: figures shown, no alert raised. */
  enough_data: z.boolean(),
  features: z.array(featureDriftSchema).readonly(),
  score: featureDriftSchema.nullable(),
  performance: performanceDriftSchema,
});
export type ModelDrift = z.infer<typeof modelDriftSchema>;

/** A model-level alert (drift or performance breach), once per model, kind, subject and day. */
export const modelAlertSummarySchema = z.object({
  alert_id: z.string(),
  model_version: z.string(),
  kind: z.string(),
  subject: z.string(),
  /** YYYY-MM-DD. */
  day: z.string(),
  value: z.number(),
  threshold: z.number(),
  message: z.string(),
  created_at: z.string(),
});
export type ModelAlertSummary = z.infer<typeof modelAlertSummarySchema>;

/** `GET /v1/drift`. */
export const driftAnswerSchema = z.object({
  computed_at: z.string(),
  models: z.array(modelDriftSchema).readonly(),
  model_alerts: z.array(modelAlertSummarySchema),
});
export type DriftAnswer = z.infer<typeof driftAnswerSchema>;
