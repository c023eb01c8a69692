import { z } from 'zod';
import { qualityFiguresSchema } from './quality.schema';
import { modelQualitySchema } from './quality.schema';

export const ROI_WINDOWS = ['24h', '7d', '30d'] as const;

/** Where treated customers' costs came from: all recorded, all estimated, or some of each; null without treated customers. */
export const costBasisFiguresSchema = z.object({
  cost_basis: z.enum(['recorded', 'estimated', 'mixed']).nullable(),
  cost_customers: z.object({ recorded: z.number(), estimated: z.number() }),
});

export const roiFiguresSchema = costBasisFiguresSchema.extend({
  customers: z.number(),
  treated_customers: z.number(),
  revenue_at_risk: z.number(),
  expected_revenue_loss: z.number(),
  programme_cost: z.number(),
  customers_retained: z.number(),
  revenue_saved: z.number(),
  net_benefit: z.number(),
  /** Net benefit / programme cost; null without cost. */
  roi_multiple: z.number().nullable(),
  /** `measured`: from the experiment's measured churn difference; `estimate`: from the configured success rate. */
  basis: z.enum(['measured', 'estimate']),
});
export type RoiFigures = z.infer<typeof roiFiguresSchema>;

export const roiAssumptionsSchema = z.object({ retention_success_rate: z.number(), clv_months: z.number() });

const armCountsSchema = z.object({ customers: z.number(), churned: z.number() });
const interval95Schema = z.tuple([z.number(), z.number()]).readonly();

/** The experiment whose control arm measured the programme's effect. */
export const experimentEvidenceSchema = z.object({
  name: z.string(),
  control: armCountsSchema,
  treated: armCountsSchema,
  uplift: z.number().nullable(),
  ci95: interval95Schema.nullable(),
  p_value: z.number().nullable(),
  underpowered: z.boolean(),
});

export const roiSnapshotSchema = z.object({
  window: z.string(),
  since: z.string().nullable(),
  /** The end of a closed period (excluded); null for a rolling window that ends now. */
  until: z.string().nullable(),
  assumptions: roiAssumptionsSchema,
  experiment: experimentEvidenceSchema.nullable(),
  overall: roiFiguresSchema,
  by_risk_level: z.record(z.string(), roiFiguresSchema),
});
export type RoiSnapshot = z.infer<typeof roiSnapshotSchema>;

/** `GET /v1/roi`: one window's figures (`model_version` present when the query named one). */
export const roiAnswerSchema = roiSnapshotSchema.extend({ computed_at: z.string(), model_version: z.string().optional() });
export type RoiAnswer = z.infer<typeof roiAnswerSchema>;

export const ROI_BUCKETS = ['day', 'week'] as const;

export const roiSeriesPointSchema = roiFiguresSchema.extend({ from: z.string(), to: z.string() });

/** `GET /v1/metrics/roi/series`. */
export const roiSeriesSchema = z.object({
  from: z.string(),
  to: z.string(),
  bucket: z.enum(ROI_BUCKETS),
  assumptions: roiAssumptionsSchema,
  /** The whole period as one (each customer counted once, at their newest prediction in it). */
  total: roiFiguresSchema,
  points: z.array(roiSeriesPointSchema),
});
export type RoiSeries = z.infer<typeof roiSeriesSchema>;

/** One side of a gradual rollout: a version, the customers it serves, its quality and economics on them alone. */
export const rolloutArmSchema = z.object({
  model_version: z.string(),
  serving: z.enum(['champion', 'rollout']),
  customers: z.number(),
  quality: modelQualitySchema.nullable(),
  roi: z.partialRecord(z.enum(ROI_WINDOWS), roiSnapshotSchema),
});
export type RolloutArm = z.infer<typeof rolloutArmSchema>;

export const rolloutComparisonSchema = z.object({
  version: z.string(),
  share: z.number(),
  champion: z.string(),
  arms: z.tuple([rolloutArmSchema, rolloutArmSchema]).readonly(),
});
export type RolloutComparison = z.infer<typeof rolloutComparisonSchema>;

/** `GET /v1/metrics/rollout`: `rollout: null` without a rollout. */
export const rolloutMetricsAnswerSchema = z.object({ computed_at: z.string(), label_delay_days: z.number(), rollout: rolloutComparisonSchema.nullable() });
export type RolloutMetricsAnswer = z.infer<typeof rolloutMetricsAnswerSchema>;

/** The dashboard's summary of a rollout: each arm's quality over `all` and its 30-day economics. */
export const rolloutSummarySchema = z.object({
  version: z.string(),
  share: z.number(),
  champion: z.string(),
  arms: z.array(
    z.object({
      model_version: z.string(),
      serving: z.enum(['champion', 'rollout']),
      customers: z.number(),
      all: qualityFiguresSchema.nullable(),
      roi: roiFiguresSchema,
    }),
  ),
});
