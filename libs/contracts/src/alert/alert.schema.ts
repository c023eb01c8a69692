import { z } from 'zod';
import { zonedTimestamp } from '../common/timestamp';
import { riskLevelSchema } from '../prediction/risk-level';

export const alertSchema = z.object({
  alert_id: z.string().min(1),
  customer_id: z.string().min(1),
  level: riskLevelSchema,
  risk_score: z.number().int().min(0).max(100),
  message: z.string(),
  prediction_id: z.string().min(1),
  created_at: zonedTimestamp,
});

export type Alert = z.infer<typeof alertSchema>;
