import { z } from 'zod';
import { zonedTimestamp } from '../common/timestamp';
import { riskLevelSchema } from './risk-level';

export const topFactorSchema = z.object({
  feature: z.string().min(1),
  /**
   * The customer's value of the feature; null when the customer has none (a spec's aggregate such as the
   * days since the last login of a customer who never logged in), which the model reads as missing.
   */
  value: z.union([z.string(), z.number().finite(), z.null()]),
  contribution: z.number().finite(),
});

/** A top factor's value as people read it (Slack, e-mail, CRM notes): `none` for a missing value. */
export function factorValueText(value: string | number | null): string {
  return value === null ? 'none' : String(value);
}

export const experimentAssignmentSchema = z.object({
  name: z.string().min(1),
  arm: z.string().min(1),
});

export const predictionSchema = z.object({
  prediction_id: z.string().min(1),
  customer_id: z.string().min(1),
  model_version: z.string().min(1),
  churn_probability: z.number().min(0).max(1),
  risk_score: z.number().int().min(0).max(100),
  risk_level: riskLevelSchema,
  recommended_action: z.string(),
  intervention_cost: z.number().finite().nonnegative(),
  revenue_at_risk: z.number().finite().nonnegative(),
  top_factors: z.array(topFactorSchema),
  experiment: experimentAssignmentSchema.nullable().optional(),
  source_event_id: z.string().min(1),
  as_of: zonedTimestamp,
  scored_at: zonedTimestamp,
  /**
   * The feature vector the model read, by name: what monitoring's drift and cohorts are computed from,
   * so it reads no table of the scorer's. Optional: a message written before it was carried parses.
   */
  features: z.record(z.string(), z.union([z.string(), z.number().finite(), z.null()])).optional(),
  /** True while the score comes from the foundation's placeholder rule rather than a trained model. */
  placeholder: z.boolean().optional(),
});

export type Prediction = z.infer<typeof predictionSchema>;
/** Which of the registry's roles a prediction was made under: the champion's is acted on, a shadow's only measured. */
export type PredictionRole = 'champion' | 'shadow';
export type TopFactor = z.infer<typeof topFactorSchema>;
