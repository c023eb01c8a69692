import { z } from 'zod';
import { riskLevelSchema } from '../../prediction/risk-level';
import { modelAlertSummarySchema, modelDriftSchema } from './drift.schema';
import { qualityFiguresSchema, qualityWindowSchema, windowQualitySchema } from './quality.schema';
import { roiSnapshotSchema, rolloutSummarySchema } from './roi.schema';
import { jobRunStatusSchema } from './job-runs.schema';

/** `GET /v1/dashboard`: what the dashboard's cards and charts show (aggregates and model-level alerts only). */
export const dashboardSummarySchema = z.object({
  computed_at: z.string(),
  cards: z.object({
    predictions_30d: z.number(),
    critical_customers: z.number(),
    pending_alerts: z.number(),
    average_risk_score: z.number().nullable(),
    customers_30d: z.number(),
  }),
  risk_distribution: z.record(riskLevelSchema, z.number()),
  score_trend: z.array(z.object({ day: z.string(), predictions: z.number(), average_risk_score: z.number() })),
  roi: roiSnapshotSchema,
  quality: z.object({ model_version: z.string(), label_delay_days: z.number(), windows: z.record(qualityWindowSchema, windowQualitySchema) }).nullable(),
  shadow_quality: z.array(z.object({ model_version: z.string(), all: qualityFiguresSchema })),
  /** During a gradual rollout: the champion and the rollout's version, each on the customers it serves. */
  rollout: rolloutSummarySchema.nullable(),
  drift: z.array(modelDriftSchema).readonly(),
  model_alerts: z.array(modelAlertSummarySchema),
  /** Each scheduled job's newest run. */
  jobs: z.array(z.object({ job: z.string(), status: jobRunStatusSchema, attempt: z.number(), started_at: z.string(), finished_at: z.string().nullable() })),
});
export type DashboardSummary = z.infer<typeof dashboardSummarySchema>;

export const pendingAlertSchema = z.object({
  alert_id: z.string(),
  customer_id: z.string(),
  level: riskLevelSchema,
  risk_score: z.number(),
  message: z.string(),
  status: z.string(),
  created_at: z.string(),
});
export type PendingAlert = z.infer<typeof pendingAlertSchema>;

/** `GET /v1/dashboard/alerts` (agents only: it names customers): the 50 most severe pending alerts. */
export const dashboardAlertQueueSchema = z.object({ computed_at: z.string(), pending_alerts: z.number(), alerts: z.array(pendingAlertSchema) });
export type DashboardAlertQueue = z.infer<typeof dashboardAlertQueueSchema>;
