import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newestExposures, type ExposureRow } from './monitoring.repository';

const row = (customer: string, id: string, asOf: string, scoredAt: string): ExposureRow => ({
  customer_id: customer,
  prediction_id: id,
  model_version: id.split(':')[0]!,
  churn_probability: 0.5,
  risk_score: 50,
  risk_level: 'medium',
  intervention_cost: 0,
  revenue_at_risk: 0,
  experiment_name: null,
  experiment_arm: null,
  as_of: new Date(asOf),
  scored_at: new Date(scoredAt),
  intervention_applied: null,
  outcome_intervention_cost: null,
});

describe('newestExposures', () => {
  // Customer A: v1's pointer is newer by as_of; v2 (a later champion) re-scored an older as_of more recently.
  const candidates = [
    row('A', 'v1:a1', '2025-06-10T00:00:00Z', '2025-06-10T00:00:01Z'),
    row('A', 'v2:a2', '2025-06-01T00:00:00Z', '2025-06-20T00:00:00Z'),
    row('B', 'v1:b1', '2025-06-05T00:00:00Z', '2025-06-05T00:00:01Z'),
    row('C', 'v1:c1', '2025-06-15T00:00:00Z', '2025-06-15T00:00:00Z'),
    row('C', 'v2:c2', '2025-06-15T00:00:00Z', '2025-06-15T00:00:00Z'),
  ];
  const ids = (rows: ExposureRow[]) => rows.map((r) => r.prediction_id).sort();

  it('takes per customer the newest by as_of, then scored_at, then prediction id, among those scored in the period', () => {
    assert.deepEqual(ids(newestExposures(candidates, null)), ['v1:a1', 'v1:b1', 'v2:c2']);
  });

  it('drops what was scored before the period, so a narrower period may hold an older assessment of another version', () => {
    assert.deepEqual(ids(newestExposures(candidates, new Date('2025-06-12T00:00:00Z'))), ['v2:a2', 'v2:c2']);
    assert.deepEqual(ids(newestExposures(candidates, new Date('2025-07-01T00:00:00Z'))), []);
  });
});
