import type { LabelledPredictionRow } from '@churn/monitoring-data';

/** Unit-spec builders: the time every spec counts from, and rows that are valid unless a spec overrides what it is about. */
export const NOW = new Date('2026-03-01T00:00:00Z');
export const DAY = 86_400_000;
export const daysAgo = (days: number, ms = 0) => new Date(NOW.getTime() - days * DAY + ms);

/**
 * An outcome joined to the champion prediction that judges it: `churned` observed now, predicted
 * 10 days before at `probability`, no action recommended, no experiment.
 */
export function aLabelledPrediction(
  customerId: string,
  probability: number,
  churned: boolean,
  overrides: Partial<LabelledPredictionRow> = {},
): LabelledPredictionRow {
  return {
    customer_id: customerId,
    prediction_id: `p-${customerId}`,
    model_version: 'v1',
    churn_probability: probability,
    risk_score: Math.round(probability * 100),
    risk_level: 'medium',
    intervention_cost: 0,
    revenue_at_risk: 1200,
    experiment_name: null,
    experiment_arm: null,
    as_of: daysAgo(10),
    scored_at: daysAgo(10),
    intervention_applied: null,
    outcome_intervention_cost: null,
    churned,
    observed_at: NOW,
    role: 'champion',
    cohort_features: null,
    ...overrides,
  };
}
