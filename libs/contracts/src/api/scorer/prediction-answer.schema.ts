import { z } from 'zod';
import { riskLevelSchema } from '../../prediction/risk-level';
import { experimentAssignmentSchema, topFactorSchema } from '../../prediction/prediction.schema';

/** `POST /v1/predict` (and a row of `POST /v1/predict/batch` as JSON). */
export const predictionAnswerSchema = z.object({
  customer_id: z.string().nullable(),
  model_version: z.string(),
  churn_probability: z.number(),
  risk_score: z.number(),
  risk_level: riskLevelSchema,
  recommended_action: z.string(),
  intervention_cost: z.number(),
  revenue_at_risk: z.number(),
  top_factors: z.array(topFactorSchema),
  experiment: experimentAssignmentSchema.nullable(),
  /** Log-odds the contributions start from. */
  baseline: z.number(),
  contributions: z.record(z.string(), z.number()),
  /** How the contributions were computed (`additive_logit` fast path or `full_evaluation`); same values either way. */
  explanation_path: z.enum(['additive_logit', 'full_evaluation']),
});
export type PredictionAnswer = z.infer<typeof predictionAnswerSchema>;

/** `POST /v1/predict/batch` as JSON: the rows in the order sent. */
export const predictionBatchAnswerSchema = z.array(predictionAnswerSchema.omit({ customer_id: true }).extend({ customer_id: z.string() }));
