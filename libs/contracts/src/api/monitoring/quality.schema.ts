import { z } from 'zod';

/** Reporting windows: outcomes observed in the last 24 h / 7 d / 30 d, and every outcome since the version was deployed. */
export const QUALITY_WINDOWS = ['24h', '7d', '30d', 'all'] as const;
export const qualityWindowSchema = z.enum(QUALITY_WINDOWS);
export type QualityWindow = z.infer<typeof qualityWindowSchema>;

/** A classification report: every figure present, null where it does not exist (one class only, no data). */
export const qualityFiguresSchema = z.object({
  count: z.number(),
  positives: z.number(),
  roc_auc: z.number().nullable(),
  pr_auc: z.number().nullable(),
  brier: z.number().nullable(),
  log_loss: z.number().nullable(),
  ece: z.number().nullable(),
  lift_top_decile: z.number().nullable(),
  threshold: z.number(),
  accuracy: z.number().nullable(),
  precision: z.number().nullable(),
  recall: z.number().nullable(),
  f1: z.number().nullable(),
});
export type QualityFigures = z.infer<typeof qualityFiguresSchema>;

export const windowQualitySchema = z.object({
  overall: qualityFiguresSchema,
  /** Per cohort dimension (the risk level, then the spec's cohorts), per cohort. */
  cohorts: z.record(z.string(), z.record(z.string(), qualityFiguresSchema)),
});
export type WindowQuality = z.infer<typeof windowQualitySchema>;

export const modelRoleSchema = z.enum(['champion', 'shadow']);

/** One model version's live quality per window. */
export const modelQualitySchema = z.object({
  model_version: z.string(),
  role: modelRoleSchema,
  decision_threshold: z.number(),
  /** The model card's mean CV ROC-AUC, the baseline of the performance-drift check. */
  cv_roc_auc: z.number().nullable(),
  windows: z.record(qualityWindowSchema, windowQualitySchema),
});
export type ModelQuality = z.infer<typeof modelQualitySchema>;

/** `GET /v1/metrics/model`. */
export const modelMetricsAnswerSchema = z.object({
  computed_at: z.string(),
  label_delay_days: z.number(),
  models: z.array(
    modelQualitySchema.extend({
      /** Every window, or the one `?window=` names. */
      windows: z.partialRecord(qualityWindowSchema, windowQualitySchema),
      /** What the version's figures are of now; null for a version that no longer serves. */
      serving: z.enum(['champion', 'rollout', 'shadow']).nullable(),
    }),
  ),
});
export type ModelMetricsAnswer = z.infer<typeof modelMetricsAnswerSchema>;
