import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CustomerEventTypes } from '@churn/contracts';
import { parseFeatureSpec } from '@churn/feature-spec';
import { groupByCustomer, pointInTimeTable, type TableEvent } from './point-in-time-table';
import { SaasEventTypes, type PayloadValue } from './saas-event';
import { SaasReplayError } from './saas-replay.error';

const SPEC = parseFeatureSpec(`
version: 1
customer_id: { column: account }
label: { column: churned, positive: "yes" }
attributes:
  - { name: plan, column: Plan Name, type: categorical, categories: [starter, team], set_by: { event_type: subscription.changed, field: plan } }
aggregates:
  - { name: logins_30d, kind: count, event_type: user.logged_in, window_days: 30 }
  - { name: days_since_last_login, kind: days_since, event_type: user.logged_in }
`);

const at = (day: number) => new Date(Date.UTC(2025, 0, 1) + day * 86_400_000).toISOString();
let seq = 0;
const event = (customer: string, type: string, day: number, payload: Record<string, PayloadValue> = {}): TableEvent => ({
  event_id: `e-${++seq}`,
  event_type: type,
  customer_id: customer,
  occurred_at: at(day),
  payload,
});

describe('pointInTimeTable', () => {
  const SNAPSHOT = at(100);
  const events = groupByCustomer([
    // stays: logins before the 30-day window, in it, and after the snapshot (which the row must not see)
    event('c-stays', SaasEventTypes.subscriptionChanged, 10, { plan: 'team' }),
    event('c-stays', SaasEventTypes.userLoggedIn, 60),
    event('c-stays', SaasEventTypes.userLoggedIn, 97),
    event('c-stays', SaasEventTypes.subscriptionChanged, 110, { plan: 'starter' }),
    event('c-stays', SaasEventTypes.userLoggedIn, 120),
    // leaves within the 90 days after the snapshot
    event('c-leaves', SaasEventTypes.subscriptionChanged, 20, { plan: 'starter' }),
    event('c-leaves', SaasEventTypes.subscriptionCancelled, 150, { reason: 'low_usage' }),
    // leaves after the window: a negative
    event('c-later', SaasEventTypes.subscriptionChanged, 30, { plan: 'starter' }),
    event('c-later', SaasEventTypes.subscriptionCancelled, 191, {}),
    // gone before the snapshot, back after: not active at the snapshot... until the reactivation
    event('c-gone', SaasEventTypes.subscriptionChanged, 5, { plan: 'team' }),
    event('c-gone', SaasEventTypes.subscriptionCancelled, 50, {}),
    event('c-back', SaasEventTypes.subscriptionChanged, 5, { plan: 'team' }),
    event('c-back', SaasEventTypes.subscriptionCancelled, 50, {}),
    event('c-back', CustomerEventTypes.subscriptionReactivated, 60),
    // signs up after the snapshot
    event('c-new', SaasEventTypes.subscriptionChanged, 101, { plan: 'team' }),
    // active, but without the attribute the spec requires
    event('c-bare', SaasEventTypes.userLoggedIn, 40),
  ]);

  it('writes one row per customer active at the snapshot, features as of then by the evaluator, the label from the 90 days after', () => {
    const table = pointInTimeTable(events, SPEC, { snapshotTime: SNAPSHOT, dataEndTime: at(200) });
    assert.deepEqual(table.header, ['account', 'Plan Name', 'logins_30d', 'days_since_last_login', 'churned']);
    assert.deepEqual(table.rows, [
      ['c-back', 'team', '0', '', 'no'],
      ['c-later', 'starter', '0', '', 'no'],
      ['c-leaves', 'starter', '0', '', 'yes'],
      ['c-stays', 'team', '1', '3', 'no'],
    ]);
    assert.deepEqual(table.withoutVector, ['c-bare']);
  });

  it('refuses a label window that runs past the data, and a spec without a label', () => {
    assert.throws(
      () => pointInTimeTable(events, SPEC, { snapshotTime: SNAPSHOT, dataEndTime: at(150) }),
      (e: unknown) => e instanceof SaasReplayError && /after the data's end/.test(e.message),
    );
    const { label: _label, ...unlabelled } = SPEC;
    assert.throws(() => pointInTimeTable(events, unlabelled, { snapshotTime: SNAPSHOT, dataEndTime: at(200) }), /declares no label/);
  });
});
