import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { customerListParameters, escapeLike } from './monitoring-customer-list';
import { compareNewestFirst } from './monitoring-customers.repository';

describe('customerListParameters', () => {
  it('is all NULL (no condition) without a filter', () => {
    assert.deepEqual(customerListParameters({}), [null, null, null, null, null, null, false, null, null, null, null]);
  });

  it('searches a lower-cased id prefix and text substring, with LIKE wildcards escaped', () => {
    const [prefix, contains] = customerListParameters({ q: ' Acme_50% ' });
    assert.equal(prefix, 'acme\\_50\\%%');
    assert.equal(contains, '%acme\\_50\\%%');
    assert.equal(escapeLike('a\\b'), 'a\\\\b');
  });

  it('splits alert states from "none", and keeps lists', () => {
    const p = customerListParameters({ riskLevels: ['high'], scoreMin: 10, scoreMax: 90, alertStates: ['pending', 'none'], arms: ['control'] });
    assert.deepEqual(p.slice(2, 8), [['high'], 10, 90, ['pending'], true, ['control']]);
    assert.deepEqual(customerListParameters({ alertStates: ['none'] }).slice(5, 7), [null, true]);
  });

  it('merges single-valued attributes into one containment and keeps several values per name apart', () => {
    const p = customerListParameters({
      attributes: [
        { name: 'Contract', values: ['Month-to-month'] },
        { name: 'SeniorCitizen', values: [1, 1] },
        { name: 'InternetService', values: ['DSL', 'Fiber optic'] },
      ],
    });
    assert.deepEqual(JSON.parse(p[8] as string), { Contract: 'Month-to-month', SeniorCitizen: 1 });
    assert.deepEqual(JSON.parse(p[9] as string), { InternetService: ['DSL', 'Fiber optic'] });
  });

  it('reads the open-CRM-task filter as true (open), false (none) or no condition', () => {
    assert.equal(customerListParameters({ crmTask: 'open' })[10], true);
    assert.equal(customerListParameters({ crmTask: 'none' })[10], false);
    assert.equal(customerListParameters({})[10], null);
  });
});

describe('compareNewestFirst', () => {
  const p = (as_of: string, scored_at: string, prediction_id: string) => ({ as_of, scored_at, prediction_id });
  it('orders by as_of, then scored_at, then prediction_id, newest first', () => {
    const sorted = [
      p('2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', 'a'),
      p('2026-01-02T00:00:00Z', '2026-01-01T00:00:00Z', 'a'),
      p('2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', 'b'),
      p('2026-01-01T00:00:00Z', '2026-01-03T00:00:00Z', 'a'),
    ].sort(compareNewestFirst);
    assert.deepEqual(
      sorted.map((x) => `${x.as_of.slice(8, 10)}/${x.scored_at.slice(8, 10)}/${x.prediction_id}`),
      ['02/01/a', '01/03/a', '01/02/b', '01/02/a'],
    );
  });
});
