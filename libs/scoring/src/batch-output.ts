import type { Assessment } from './scoring-policy';

/** Columns of a batch-scoring output row (CLI and HTTP CSV): the deployment guide's customer_risk_scores export. */
export const BATCH_OUTPUT_COLUMNS = [
  'customerID',
  'churn_probability',
  'risk_score',
  'risk_level',
  'recommended_action',
  'intervention_cost',
  'revenue_at_risk',
  'top_factor_1',
  'top_factor_1_value',
  'top_factor_1_contribution',
  'top_factor_2',
  'top_factor_2_value',
  'top_factor_2_contribution',
  'top_factor_3',
  'top_factor_3_value',
  'top_factor_3_contribution',
  'experiment_arm',
  'error',
] as const;

export type BatchOutputRecord = Record<(typeof BATCH_OUTPUT_COLUMNS)[number], string | number>;

export function batchOutputRecord(customerId: string, assessment: Assessment | null, error = ''): BatchOutputRecord {
  const record = Object.fromEntries(BATCH_OUTPUT_COLUMNS.map((c) => [c, ''])) as BatchOutputRecord;
  record.customerID = customerId;
  record.error = error;
  if (!assessment) return record;
  record.churn_probability = assessment.churn_probability;
  record.risk_score = assessment.risk_score;
  record.risk_level = assessment.risk_level;
  record.recommended_action = assessment.recommended_action;
  record.intervention_cost = assessment.intervention_cost;
  record.revenue_at_risk = assessment.revenue_at_risk;
  assessment.top_factors.slice(0, 3).forEach((f, i) => {
    const k = i + 1;
    (record as Record<string, string | number>)[`top_factor_${k}`] = f.feature;
    (record as Record<string, string | number>)[`top_factor_${k}_value`] = f.value;
    (record as Record<string, string | number>)[`top_factor_${k}_contribution`] = Number(f.contribution.toFixed(6));
  });
  record.experiment_arm = assessment.experiment?.arm ?? '';
  return record;
}
