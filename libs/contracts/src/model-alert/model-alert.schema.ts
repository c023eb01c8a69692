import { z } from 'zod';
import { zonedTimestamp } from '../common/timestamp';

export const modelAlertSchema = z.object({
  alert_id: z.string().min(1),
  model_version: z.string().min(1),
  kind: z.enum(['feature_drift', 'score_drift', 'performance_drift']),
  subject: z.string().min(1),
  value: z.number().finite(),
  threshold: z.number().finite(),
  message: z.string(),
  created_at: zonedTimestamp,
});

export type ModelAlert = z.infer<typeof modelAlertSchema>;
