import { z } from 'zod';
import { zonedTimestamp } from '../common/timestamp';

export const outcomeSchema = z.object({
  customer_id: z.string().min(1),
  churned: z.boolean(),
  observed_at: zonedTimestamp,
  intervention_applied: z.boolean().optional(),
  intervention_cost: z.number().finite().nonnegative().optional(),
  revenue_impact: z.number().finite().optional(),
  experiment_arm: z.string().min(1).optional(),
});

export type Outcome = z.infer<typeof outcomeSchema>;
