import { z } from 'zod';
import { baseServiceConfigSchema } from '@churn/service-kit';

export const scorerConfigSchema = baseServiceConfigSchema(3002).extend({
  /** Months of monthly charges counted as revenue at risk. */
  REVENUE_AT_RISK_MONTHS: z.coerce.number().positive().default(12),
});

export type ScorerConfig = z.output<typeof scorerConfigSchema>;
