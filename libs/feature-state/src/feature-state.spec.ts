import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CustomerEvent } from '@churn/contracts';
import { anEvent } from '@churn/testing';
import { applyEvent, emptyState, toFeatureVector } from './feature-state';
import { foldHistory } from './history';

function fold(events: CustomerEvent[]) {
  let state = emptyState(events[0]!.customer_id, events[0]!);
  const applied: boolean[] = [];
  for (const event of events) {
    const result = applyEvent(state, event);
    state = result.state;
    applied.push(result.applied);
  }
  return { state, applied };
}

describe('feature state', () => {
  it('builds the Telco feature vector with tenure and total charges from the events', () => {
    const { state } = fold([
      anEvent.signedUp('C', '2024-01-15T00:00:00Z', { senior_citizen: true }),
      anEvent.subscriptionChanged('C', '2024-01-15T00:00:01Z', { monthly_charges: 70.35 }),
      anEvent.invoicePaid('C', '2024-02-15T00:00:00Z', 70.35),
      anEvent.invoicePaid('C', '2024-03-15T00:00:00Z', 70.35),
      anEvent.invoicePaid('C', '2024-04-15T00:00:00Z', 70.35),
    ]);
    const vector = toFeatureVector(state);
    assert.ok(vector);
    assert.equal(vector.tenure, 3);
    assert.equal(vector.TotalCharges, 211.05);
    assert.equal(vector.SeniorCitizen, 1);
    assert.equal(vector.Partner, 'Yes');
    assert.equal(vector.PhoneService, 'Yes');
    assert.equal(vector.MonthlyCharges, 70.35);
  });

  it('has no vector until both sign-up and a subscription are known', () => {
    assert.equal(toFeatureVector(fold([anEvent.signedUp('C', '2024-01-15T00:00:00Z')]).state), undefined);
    assert.equal(toFeatureVector(fold([anEvent.subscriptionChanged('C', '2024-01-15T00:00:00Z')]).state), undefined);
  });

  it('records a late, older subscription change without letting it win', () => {
    const { state, applied } = fold([
      anEvent.signedUp('C', '2024-01-01T00:00:00Z'),
      anEvent.subscriptionChanged('C', '2024-06-01T00:00:00Z', { contract: 'Two year' }),
      anEvent.subscriptionChanged('C', '2024-03-01T00:00:00Z', { contract: 'Month-to-month' }),
    ]);
    assert.deepEqual(applied, [true, true, false]);
    assert.equal(state.contract, 'Two year');
    assert.equal(state.lastEventAt, '2024-06-01T00:00:00Z');
  });

  it('adds every invoice, whatever its order', () => {
    const { state } = fold([
      anEvent.signedUp('C', '2024-01-01T00:00:00Z'),
      anEvent.invoicePaid('C', '2024-03-01T00:00:00Z', 10.1),
      anEvent.invoicePaid('C', '2024-02-01T00:00:00Z', 20.2),
    ]);
    assert.equal(state.totalCharges, 30.3);
    assert.equal(state.invoicesPaid, 2);
  });

  it('takes a schema version 2 sign-up or subscription change only when it carries a complete Telco payload', () => {
    const telco = fold([anEvent.signedUp('C', '2024-01-01T00:00:00Z'), anEvent.subscriptionChanged('C', '2024-01-01T00:00:01Z')]).state;
    const asV2 = (event: CustomerEvent) => ({ ...event, schema_version: 2 as const, payload: { ...event.payload } as Record<string, string | number | boolean> }) as CustomerEvent;
    const full = fold([asV2(anEvent.signedUp('C', '2024-01-01T00:00:00Z')), asV2(anEvent.subscriptionChanged('C', '2024-01-01T00:00:01Z'))]).state;
    assert.deepEqual(toFeatureVector(full), toFeatureVector(telco));

    const partial = fold([...[anEvent.signedUp('C', '2024-01-01T00:00:00Z'), anEvent.subscriptionChanged('C', '2024-01-01T00:00:01Z')], anEvent.v2('subscription.changed', 'C', '2024-02-01T00:00:00Z', { contract: 'Two year' })]);
    assert.deepEqual(partial.applied, [true, true, true]);
    assert.equal(partial.state.contract, telco.contract, 'a partial update is left to the spec evaluator');
    assert.equal(partial.state.lastEventAt, '2024-02-01T00:00:00Z');
  });

  it('lets cancellations and custom event types change nothing but the latest event', () => {
    const before = fold([anEvent.signedUp('C', '2024-01-01T00:00:00Z'), anEvent.subscriptionChanged('C', '2024-01-01T00:00:01Z')]).state;
    for (const event of [anEvent.subscriptionCancelled('C', '2024-05-01T00:00:00Z', 'moved'), anEvent.v2('user.logged_in', 'C', '2024-05-01T00:00:00Z', { device: 'ios' })]) {
      const { state, applied } = applyEvent(before, event);
      assert.equal(applied, true);
      assert.deepEqual(state, { ...before, lastEventAt: '2024-05-01T00:00:00Z', lastEventId: event.event_id });
    }
  });

  it('rebuilds from the log, which keeps no schema version, what the live events built', () => {
    const events = [
      anEvent.signedUp('C', '2024-01-01T00:00:00Z'),
      anEvent.subscriptionChanged('C', '2024-01-01T00:00:01Z'),
      anEvent.v2('subscription.changed', 'C', '2024-02-01T00:00:00Z', { contract: 'Two year' }),
      anEvent.v2('user.logged_in', 'C', '2024-02-02T00:00:00Z', { device: 'ios' }),
      anEvent.subscriptionCancelled('C', '2024-03-01T00:00:00Z'),
      anEvent.invoicePaid('C', '2024-02-01T00:00:00Z', 20),
    ];
    const logged = events.map((e) => ({ eventId: e.event_id, customerId: e.customer_id, eventType: e.event_type, occurredAt: e.occurred_at, payload: e.payload }));
    assert.deepEqual(foldHistory(logged).get('C'), fold(events).state);
  });
});
