import { z } from 'zod';
import { zonedTimestamp } from '../common/timestamp';
import { topFactorSchema } from '../prediction/prediction.schema';
import { riskLevelSchema } from '../prediction/risk-level';

export const alertSchema = z.object({
  alert_id: z.string().min(1),
  customer_id: z.string().min(1),
  level: riskLevelSchema,
  risk_score: z.number().int().min(0).max(100),
  message: z.string(),
  prediction_id: z.string().min(1),
  created_at: zonedTimestamp,
  // The prediction behind the alert, carried so that consumers (crm-sync's retention task, its
  // experiment's control arm) need not read the scorer's predictions. Optional: a message written
  // before they were carried still parses, and is treated as outside any experiment.
  churn_probability: z.number().min(0).max(1).optional(),
  recommended_action: z.string().optional(),
  top_factors: z.array(topFactorSchema).optional(),
  /** The prediction's experiment arm; null outside an experiment. */
  experiment_arm: z.string().min(1).nullable().optional(),
});

export type Alert = z.infer<typeof alertSchema>;
