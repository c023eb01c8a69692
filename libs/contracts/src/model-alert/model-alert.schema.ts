import { z } from 'zod';
import { zonedTimestamp } from '../common/timestamp';

export const modelAlertSchema = z.object({
  alert_id: z.string().min(1),
  model_version: z.string().min(1),
  /**
   * Drift and performance breaches, and `promotion_gate`: the gate's verdict on a shadow challenger
   * (subject `promoted`, `recommended`, `kept` or `insufficient_outcomes`; value the lower confidence
   * bound of its log-loss improvement, threshold the margin).
   */
  kind: z.enum(['feature_drift', 'score_drift', 'performance_drift', 'promotion_gate']),
  subject: z.string().min(1),
  value: z.number().finite(),
  threshold: z.number().finite(),
  message: z.string(),
  created_at: zonedTimestamp,
});

export type ModelAlert = z.infer<typeof modelAlertSchema>;
