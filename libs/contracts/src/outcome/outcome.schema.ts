import { z } from 'zod';
import { zonedTimestamp } from '../common/timestamp';

/**
 * Where an outcome comes from: `feed` an outside system publishing on `outcomes` (the default when a
 * message names none), `cancellation` ingest on a `subscription.cancelled` of an open subscription,
 * `label_window` monitoring when a customer's label window closes without a churn, `api` / `import`
 * a person through monitoring's `POST /v1/outcomes` (one record / a CSV file).
 */
export const OUTCOME_SOURCES = ['feed', 'cancellation', 'label_window', 'api', 'import'] as const;
export type OutcomeSource = (typeof OUTCOME_SOURCES)[number];

export const outcomeSchema = z.object({
  customer_id: z.string().min(1),
  churned: z.boolean(),
  observed_at: zonedTimestamp,
  intervention_applied: z.boolean().optional(),
  intervention_cost: z.number().finite().nonnegative().optional(),
  revenue_impact: z.number().finite().optional(),
  experiment_arm: z.string().min(1).optional(),
  /**
   * The outcome's identity: monitoring stores one outcome per id. Deterministic when the platform
   * derives it (the same cancellation or label window always gives the same id); absent, it is
   * derived from `customer_id` and `observed_at` (to the millisecond).
   */
  outcome_id: z.string().min(1).max(200).optional(),
  source: z.enum(OUTCOME_SOURCES).optional(),
});

export type Outcome = z.infer<typeof outcomeSchema>;
