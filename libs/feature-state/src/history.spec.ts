import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { customerFeaturesSchema } from '@churn/contracts';
import { featureColumns, loadFeatureSpec, specHash, TELCO_SPEC_PATH } from '@churn/feature-spec';
import { anEvent } from '@churn/testing';
import { featuresMessage } from './features-message';
import { eventsByCustomer, foldHistory, stateFeatures, vectorAt } from './history';
import type { LoggedEvent } from './history-types';

const spec = loadFeatureSpec(TELCO_SPEC_PATH);
const hash = specHash(spec);
const logged = (...events: ReturnType<typeof anEvent.signedUp>[]): LoggedEvent[] =>
  events.map((e) => ({ eventId: e.event_id, customerId: e.customer_id, eventType: e.event_type, occurredAt: e.occurred_at, payload: e.payload }));

describe('history and the features message under the Telco spec', () => {
  const log = logged(
    anEvent.signedUp('A', '2024-01-15T00:00:00Z', { senior_citizen: true }),
    anEvent.subscriptionChanged('A', '2024-01-15T00:00:01Z', { monthly_charges: 70.35 }),
    anEvent.signedUp('B', '2024-01-01T00:00:00Z'),
    anEvent.invoicePaid('A', '2024-02-15T00:00:00Z', 70.35),
    anEvent.invoicePaid('A', '2024-03-15T00:00:00Z', 70.35),
  );

  it('folds each customer of the log on its own', () => {
    const states = foldHistory(spec, log);
    assert.deepEqual([...states.keys()], ['A', 'B']);
    assert.equal(states.get('A')!.sums['TotalCharges'], '140.7');
    assert.equal(stateFeatures(spec, states.get('B')), undefined, 'no subscription yet');
  });

  it("carries every feature of the spec in its order, and the spec's hash, in a valid version 2 message", () => {
    const state = foldHistory(spec, log).get('A')!;
    const events = eventsByCustomer(log).get('A')!;
    const message = featuresMessage(hash, 'A', vectorAt(spec, state, events, '2024-04-20T00:00:00Z'), '2024-04-20T00:00:00Z', 'src');
    assert.ok(message);
    assert.deepEqual(customerFeaturesSchema.parse(message), message);
    assert.equal(message.feature_schema_version, 2);
    assert.equal(message.spec_hash, specHash(spec));
    assert.deepEqual(
      Object.keys(message.features),
      featureColumns(spec).map((c) => c.name),
    );
    assert.equal(message.features['tenure'], 3);
    assert.equal(message.features['TotalCharges'], 140.7);
    assert.equal(message.features['SeniorCitizen'], 1);
    assert.equal(message.features['Partner'], 'Yes');
    assert.equal(message.features['payment_failures_90d'], 0);
    assert.equal(message.features['usage_trend'], null);
    assert.equal(featuresMessage(hash, 'B', undefined, '2024-04-20T00:00:00Z', 'src'), undefined);
  });
});
