import type { Assessment } from './scoring-policy';

/** The id column of a batch output written without a spec's id column (the Telco tables'). */
export const DEFAULT_ID_COLUMN = 'customerID';

/** Columns after the id: the deployment guide's customer_risk_scores export. */
const SCORE_COLUMNS = [
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

/** Columns of a batch-scoring output row keyed by the input table's id column (CLI and HTTP CSV). */
export function batchOutputColumns(idColumn: string): string[] {
  return [idColumn, ...SCORE_COLUMNS];
}

/** The output columns of a Telco table (id column customerID). */
export const BATCH_OUTPUT_COLUMNS = [DEFAULT_ID_COLUMN, ...SCORE_COLUMNS] as const;

export type BatchOutputRecord = Record<string, string | number> & Record<(typeof SCORE_COLUMNS)[number], string | number>;

export function batchOutputRecord(customerId: string, assessment: Assessment | null, error = '', idColumn = DEFAULT_ID_COLUMN): BatchOutputRecord {
  const record = Object.fromEntries(batchOutputColumns(idColumn).map((c) => [c, ''])) as BatchOutputRecord;
  record[idColumn] = customerId;
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
    record[`top_factor_${k}`] = f.feature;
    record[`top_factor_${k}_value`] = f.value ?? ''; // blank = missing, as in the input tables
    record[`top_factor_${k}_contribution`] = Number(f.contribution.toFixed(6));
  });
  record.experiment_arm = assessment.experiment?.arm ?? '';
  return record;
}
