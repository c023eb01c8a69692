import { z } from 'zod';
import { costBasisFiguresSchema } from './roi.schema';

const interval95Schema = z.tuple([z.number(), z.number()]).readonly();

export const experimentArmFiguresSchema = costBasisFiguresSchema.extend({
  arm: z.string(),
  /** Customers the scorer assigned to the arm. */
  customers: z.number(),
  /** Of those, customers with a labelled outcome judged by a prediction that carried the assignment. */
  with_outcome: z.number(),
  /** Labelled customers the programme targets: the compared population. */
  targeted: z.number(),
  churned: z.number(),
  churn_rate: z.number().nullable(),
  churn_rate_ci95: interval95Schema.nullable(),
  revenue_retained: z.number(),
  cost: z.number(),
});
export type ExperimentArmFigures = z.infer<typeof experimentArmFiguresSchema>;

export const experimentComparisonSchema = z.object({
  arm: z.string(),
  against: z.string(),
  /** Control churn rate − arm churn rate: positive when the arm's action reduced churn. */
  difference: z.number().nullable(),
  ci95: interval95Schema.nullable(),
  z_score: z.number().nullable(),
  p_value: z.number().nullable(),
  significant: z.boolean(),
  underpowered: z.boolean(),
});
export type ExperimentComparison = z.infer<typeof experimentComparisonSchema>;

/** `GET /v1/experiments/{name}`. */
export const experimentReportSchema = z.object({
  name: z.string(),
  minimum_per_arm: z.number(),
  arms: z.array(experimentArmFiguresSchema).readonly(),
  comparisons: z.array(experimentComparisonSchema).readonly(),
  warnings: z.array(z.string()).readonly(),
});
export type ExperimentReport = z.infer<typeof experimentReportSchema>;

/** `GET /v1/experiments`: newest scored first. */
export const experimentListSchema = z.object({ experiments: z.array(z.object({ name: z.string(), last_scored_at: z.string() })) });
export type ExperimentList = z.infer<typeof experimentListSchema>;
