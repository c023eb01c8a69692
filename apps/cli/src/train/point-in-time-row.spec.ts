import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFeatureSpec } from '@churn/feature-spec';
import { negativeLabelOf, pointInTimeRow, PointInTimeRuleError, requireLabel, trainingCutOff, trainingSetHeader } from './point-in-time-row';
import { FIXTURE_CUSTOMERS, LABEL_DELAY_DAYS, POINT_IN_TIME_HEADER, POINT_IN_TIME_SPEC, POINT_IN_TIME_SPEC_YAML } from './point-in-time.fixture';

describe('point-in-time training rows', () => {
  it('cuts off the label delay before the outcome, to the millisecond', () => {
    assert.equal(trainingCutOff('2025-09-01T00:00:00.000Z', 30), '2025-08-02T00:00:00.000Z');
    assert.equal(trainingCutOff('2025-09-01T00:00:00+02:00', 0), '2025-08-31T22:00:00.000Z');
    assert.equal(trainingCutOff('2025-09-01T00:00:00.000Z', 0.5), '2025-08-31T12:00:00.000Z');
    assert.throws(() => trainingCutOff('2025-09-01T00:00:00.000Z', -1), PointInTimeRuleError);
    assert.throws(() => trainingCutOff('2025-09-01T00:00:00.000Z', Number.NaN), /label delay/);
    assert.throws(() => trainingCutOff('yesterday', 30), /not a time/);
  });

  it('labels a customer who stayed with the other half of the positive value, in its case', () => {
    assert.equal(negativeLabelOf('Yes'), 'No');
    assert.equal(negativeLabelOf('yes'), 'no');
    assert.equal(negativeLabelOf('TRUE'), 'FALSE');
    assert.equal(negativeLabelOf('1'), '0');
    assert.equal(negativeLabelOf('churned'), 'not churned');
  });

  it('is the hand-computed row at each cut-off; what is logged after the cut-off is ignored', () => {
    assert.deepEqual(trainingSetHeader(POINT_IN_TIME_SPEC), POINT_IN_TIME_HEADER);
    for (const customer of FIXTURE_CUSTOMERS) {
      const latest = [...customer.outcomes].sort((a, b) => a.observedAt.localeCompare(b.observedAt)).pop()!;
      // Every event, those after the cut-off included: the row must not see them.
      const row = pointInTimeRow(POINT_IN_TIME_SPEC, customer.id, customer.events, trainingCutOff(latest.observedAt, LABEL_DELAY_DAYS), latest.churned);
      assert.deepEqual(row, customer.expected, `customer ${customer.id}`);
    }
  });

  it('sees an event at the cut-off itself', () => {
    const [a] = FIXTURE_CUSTOMERS;
    const row = pointInTimeRow(POINT_IN_TIME_SPEC, a!.id, a!.events, '2025-08-10T00:00:00.000Z', true);
    assert.equal(row?.[POINT_IN_TIME_HEADER.indexOf('plan')], 'pro');
  });

  it('refuses a spec without a label', () => {
    const unlabelled = parseFeatureSpec(POINT_IN_TIME_SPEC_YAML.replace(/^label:.*$/m, ''));
    assert.throws(() => requireLabel(unlabelled, 'accounts.yaml'), /accounts\.yaml: training needs label\.column and label\.positive/);
    assert.throws(() => pointInTimeRow(unlabelled, 'A', [], '2025-08-02T00:00:00.000Z', true), PointInTimeRuleError);
  });
});
