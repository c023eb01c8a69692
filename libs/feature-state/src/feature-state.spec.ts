import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CustomerEvent } from '@churn/contracts';
import { anEvent } from '@churn/testing';
import { applyEvent, emptyState, toFeatureVector } from './feature-state';

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
});
