import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { predictionSchema, factorValueText } from '@churn/contracts';
import { topFactorsOf } from './scoring-policy';

describe('topFactorsOf', () => {
  it('gives a missing value (NaN in the row, imputed in the graph) as null, which the prediction contract accepts', () => {
    const factors = topFactorsOf(['days_since_login', 'plan', 'seats'], [Number.NaN, 'team', 12], Float64Array.from([0.2, -0.05, 0.01]), 2);
    assert.deepEqual(factors, [
      { feature: 'days_since_login', value: null, contribution: 0.2 },
      { feature: 'plan', value: 'team', contribution: -0.05 },
    ]);
    const prediction = {
      prediction_id: 'p-1',
      customer_id: 'c-1',
      model_version: 'v1',
      churn_probability: 0.4,
      risk_score: 40,
      risk_level: 'medium',
      recommended_action: 'call',
      intervention_cost: 10,
      revenue_at_risk: 100,
      top_factors: factors,
      source_event_id: 'e-1',
      as_of: '2026-01-01T00:00:00.000Z',
      scored_at: '2026-01-01T00:00:01.000Z',
    };
    assert.equal(predictionSchema.safeParse(prediction).success, true);
    // NaN itself never reaches the topic.
    const withNaN = { ...prediction, top_factors: [{ feature: 'days_since_login', value: Number.NaN, contribution: 0.2 }] };
    assert.equal(predictionSchema.safeParse(withNaN).success, false);
    assert.equal(factorValueText(null), 'none');
    assert.equal(factorValueText(0), '0');
  });
});
