import { z } from 'zod';

export const storedPredictionSchema = z.object({
  prediction_id: z.string(),
  customer_id: z.string(),
  model_version: z.string(),
  role: z.enum(['champion', 'shadow']),
  source_event_id: z.string(),
  churn_probability: z.number(),
  risk_score: z.number(),
  risk_level: z.string(),
  recommended_action: z.string(),
  intervention_cost: z.number(),
  revenue_at_risk: z.number(),
  top_factors: z.array(z.unknown()),
  /** The arm is null for a prediction stored before its experiment had arms. */
  experiment: z.object({ name: z.string(), arm: z.string().nullable() }).nullable(),
  /** The feature vector the prediction used. */
  features: z.record(z.string(), z.unknown()),
  as_of: z.string(),
  scored_at: z.string(),
});

/** `GET /v1/customers/{id}/predictions`: newest first. */
export const customerPredictionsSchema = z.object({ customer_id: z.string(), predictions: z.array(storedPredictionSchema) });
export type CustomerPredictions = z.infer<typeof customerPredictionsSchema>;
