import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertSchema } from './alert.schema';

const raised = {
  alert_id: 'alrt-1',
  customer_id: 'c-1',
  level: 'critical',
  risk_score: 91,
  message: 'risk critical',
  prediction_id: 'p-1',
  created_at: '2026-03-10T12:00:00.000Z',
};

const carried = {
  churn_probability: 0.91,
  recommended_action: 'Call the customer',
  top_factors: [{ feature: 'Contract', value: 'Month-to-month', contribution: 0.4 }],
  experiment_arm: 'treatment',
};

describe('alertSchema', () => {
  it('accepts an alert with the prediction it carries, and one written before they were carried', () => {
    const parsed = alertSchema.parse({ ...raised, ...carried });
    assert.deepEqual(
      [parsed.experiment_arm, parsed.recommended_action, parsed.top_factors?.[0]?.feature, parsed.churn_probability],
      ['treatment', 'Call the customer', 'Contract', 0.91],
    );
    assert.equal(alertSchema.parse({ ...raised, ...carried, experiment_arm: null }).experiment_arm, null);
    assert.equal(alertSchema.parse(raised).experiment_arm, undefined);
  });

  it('refuses a carried field of the wrong shape, naming it', () => {
    for (const bad of [{ churn_probability: 1.5 }, { top_factors: [{ feature: 'Contract' }] }, { experiment_arm: '' }, { recommended_action: 3 }]) {
      const result = alertSchema.safeParse({ ...raised, ...carried, ...bad });
      assert.equal(result.success, false, JSON.stringify(bad));
      assert.equal(String(result.error?.issues[0]?.path[0]), Object.keys(bad)[0]);
    }
  });
});
