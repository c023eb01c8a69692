import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RecordedInterventionCost } from '@churn/monitoring-data';
import { costBasisOf, recordedCostsByCustomer } from './recorded-costs';

const T0 = Date.parse('2026-03-01T00:00:00Z');
const DAY = 86_400_000;
const at = (days: number, ms = 0) => new Date(T0 + days * DAY + ms);
const cost = (customer: string, performed: Date, amount: number | null): RecordedInterventionCost => ({
  customer_id: customer,
  performed_at: performed,
  cost: amount,
});

describe('recorded costs per customer', () => {
  it('sums each customer’s costs over [from, to], both ends included', () => {
    const costs = [
      cost('A', at(0), 10), // at `from`: in
      cost('A', at(2), 5),
      cost('A', at(4), 20), // at `to`: in
      cost('A', at(4, 1), 1000), // 1 ms after `to`: out
      cost('B', at(0, -1), 7), // 1 ms before `from`: out, and B has nothing else
    ];
    const sums = recordedCostsByCustomer(costs, at(0), at(4));
    // A: 10 + 5 + 20 = 35; B absent (not "null": it had no intervention in the period).
    assert.deepEqual([...sums], [['A', 35]]);
    assert.equal(sums.has('B'), false);
  });

  it('leaves either end open when null: to defaults to open', () => {
    const costs = [cost('A', at(-365), 1), cost('A', at(365), 2)];
    assert.equal(recordedCostsByCustomer(costs, null).get('A'), 3);
    assert.equal(recordedCostsByCustomer(costs, at(0)).get('A'), 2, 'from only: the later cost');
    assert.equal(recordedCostsByCustomer(costs, null, at(0)).get('A'), 1, 'to only: the earlier cost');
  });

  it('keeps a customer whose interventions carry no cost as null, and a cost next to them as the cost', () => {
    const costs = [
      cost('TASK', at(1), null),
      cost('TASK', at(2), null),
      cost('MIX', at(1), null),
      cost('MIX', at(2), 30),
      cost('MIX2', at(1), 12),
      cost('MIX2', at(2), null),
    ];
    const sums = recordedCostsByCustomer(costs, at(0), at(3));
    // TASK: two completed CRM tasks, nothing costed → null (treated at the estimate);
    // MIX: null then 30 → 30; MIX2: 12 then null → 12 (a later task does not erase the cost).
    assert.equal(sums.get('TASK'), null);
    assert.equal(sums.get('MIX'), 30);
    assert.equal(sums.get('MIX2'), 12);
  });

  it('is empty without costs, and a zero cost counts as recorded (0, not null)', () => {
    assert.equal(recordedCostsByCustomer([], null).size, 0);
    assert.equal(recordedCostsByCustomer([cost('A', at(1), 0)], null).get('A'), 0);
  });
});

describe('cost basis of treated customers', () => {
  it('is null without treated customers', () => {
    assert.deepEqual(costBasisOf([]), { cost_basis: null, cost_customers: { recorded: 0, estimated: 0 } });
  });

  it('is recorded or estimated when every customer’s cost comes from one source', () => {
    assert.deepEqual(costBasisOf(['recorded', 'recorded']), { cost_basis: 'recorded', cost_customers: { recorded: 2, estimated: 0 } });
    assert.deepEqual(costBasisOf(['estimated']), { cost_basis: 'estimated', cost_customers: { recorded: 0, estimated: 1 } });
  });

  it('is mixed with one of each, and counts both', () => {
    // 3 recorded, 1 estimated: one estimate is enough to make the basis mixed.
    assert.deepEqual(costBasisOf(['recorded', 'estimated', 'recorded', 'recorded']), { cost_basis: 'mixed', cost_customers: { recorded: 3, estimated: 1 } });
  });
});
