import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LabelledPredictionRow } from '@churn/monitoring-data';
import { pairOutcomes } from './promotion-gate.service';

const row = (customer: string, version: string, p: number, churned = true, observed = '2026-01-01T00:00:00Z'): LabelledPredictionRow =>
  ({
    customer_id: customer,
    model_version: version,
    churn_probability: p,
    churned,
    observed_at: new Date(observed),
    role: version === 'v1' ? 'champion' : 'shadow',
  }) as LabelledPredictionRow;

describe('pairOutcomes', () => {
  it('keeps the outcomes judged against both versions, one pair per customer and observation, other versions ignored', () => {
    const pairs = pairOutcomes(
      [
        row('B', 'v1', 0.3, false),
        row('B', 'v2', 0.1, false),
        row('A', 'v2', 0.9),
        row('A', 'v1', 0.6),
        row('A', 'v0', 0.5),
        row('C', 'v1', 0.4), // no challenger prediction early enough: not paired
        row('A', 'v1', 0.2, false, '2026-02-01T00:00:00Z'),
        row('A', 'v2', 0.3, false, '2026-02-01T00:00:00Z'),
      ],
      'v1',
      'v2',
    );
    assert.deepEqual(pairs, [
      { customer_id: 'A', churned: true, champion: 0.6, challenger: 0.9 },
      { customer_id: 'A', churned: false, champion: 0.2, challenger: 0.3 },
      { customer_id: 'B', churned: false, champion: 0.3, challenger: 0.1 },
    ]);
  });
});
