import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEvent, foldEvents } from './apply-event';
import type { EvaluatedEvent, EvaluatorState } from './evaluator-types';
import { featureVector } from './feature-vector';
import { SAAS_SPEC as spec } from './fixtures/saas-spec';
import { aggregateValues } from './aggregate-values';

let n = 0;
const event = (type: string, occurredAt: string, payload: Record<string, unknown>): EvaluatedEvent => ({
  event_id: `e-${n++}`,
  event_type: type,
  occurred_at: occurredAt,
  payload,
});
const vectorOf = (state: EvaluatorState, asOf = state.lastEventAt) => featureVector(spec, state, asOf, aggregateValues(spec, [], asOf));

describe('applyEvent', () => {
  it('takes each attribute a partial payload carries, last write wins per attribute', () => {
    const state = foldEvents(spec, [
      event('subscription.changed', '2024-03-01T00:00:00Z', { plan: 'team', seats: 5, annual: false }),
      event('subscription.changed', '2024-05-01T00:00:00Z', { seats: 9 }),
      // Late and older: its plan is older than March's, its annual flag newer than any.
      event('subscription.changed', '2024-02-01T00:00:00Z', { plan: 'free' }),
      event('subscription.changed', '2024-04-01T00:00:00Z', { plan: 'enterprise', seats: 2 }),
    ])!;
    assert.deepEqual(state.attributes['plan'], { value: 'enterprise', at: '2024-04-01T00:00:00Z' });
    assert.deepEqual(state.attributes['seats'], { value: 9, at: '2024-05-01T00:00:00Z' });
    assert.equal(state.lastEventAt, '2024-05-01T00:00:00Z');
  });

  it('says not applied only when every attribute the event carries has a newer value', () => {
    const start = applyEvent(spec, undefined, event('subscription.changed', '2024-03-01T00:00:00Z', { plan: 'team', seats: 5 })).state;
    assert.equal(applyEvent(spec, start, event('subscription.changed', '2024-02-01T00:00:00Z', { plan: 'free', seats: 1 })).applied, false);
    assert.equal(applyEvent(spec, start, event('subscription.changed', '2024-02-01T00:00:00Z', { plan: 'free', annual: true })).applied, true);
    assert.equal(applyEvent(spec, start, event('subscription.changed', '2024-03-01T00:00:00Z', { plan: 'free' })).applied, true, 'an equal time wins');
    assert.equal(applyEvent(spec, start, event('invoice.paid', '2024-01-01T00:00:00Z', { amount: 3 })).applied, true, 'no attribute: applied');
  });

  it('adds lifetime sums exactly, whatever the order, and counts', () => {
    const credits = [0.1, 0.2, 0.3].map((credits, i) => event('credits.granted', `2024-01-0${i + 1}T00:00:00Z`, { credits }));
    const forward = foldEvents(spec, credits)!;
    const backward = foldEvents(spec, [...credits].reverse())!;
    assert.equal(forward.sums['credits_total'], '0.6');
    assert.equal(backward.sums['credits_total'], '0.6');
    const logins = foldEvents(spec, [event('user.logged_in', '2024-01-01T00:00:00Z', {}), event('user.logged_in', '2023-01-01T00:00:00Z', {})])!;
    assert.equal(logins.counts['logins_ever'], 2);
  });
});

describe('featureVector', () => {
  const complete = [
    event('customer.signed_up', '2024-01-31T10:00:00Z', { region: 'eu' }),
    event('subscription.changed', '2024-02-01T00:00:00Z', { plan: 'team', seats: 5, annual: true }),
    event('invoice.paid', '2024-03-01T00:00:00Z', { amount: 10.005 }),
  ];

  it('is undefined until every non-optional attribute is set and the months_since_first event is seen', () => {
    assert.equal(vectorOf(foldEvents(spec, complete.slice(1))!), undefined);
    assert.equal(vectorOf(foldEvents(spec, [complete[0]!, event('subscription.changed', '2024-02-01T00:00:00Z', { plan: 'team', seats: 5 })])!), undefined);
  });

  it('holds every feature in the spec order, booleans spelled as the spec says, a missing optional attribute null', () => {
    const state = foldEvents(spec, complete)!;
    const vector = vectorOf(state, '2024-04-30T09:00:00Z')!;
    assert.deepEqual(
      Object.keys(vector),
      [...spec.attributes, ...spec.derived, ...spec.aggregates].map((f) => f.name),
    );
    assert.equal(vector['annual'], 'yes');
    assert.equal(vector['sso'], null);
    assert.equal(vector['age_months'], 2, 'Jan 31 10:00 to Apr 30 09:00: two whole calendar months (the third at 10:00)');
    assert.equal(vector['paid_total'], 10.01, 'rounded half up');
    assert.equal(vector['credits_total'], 0);
    assert.equal(vector['logins_ever'], 0);
    assert.equal(vector['logins_7d'], 0);
    assert.equal(vector['last_device'], null);
  });

  it('reads a state that went through JSON (as it is stored) the same', () => {
    const state = foldEvents(spec, complete)!;
    assert.deepEqual(vectorOf(JSON.parse(JSON.stringify(state)) as EvaluatorState), vectorOf(state));
  });
});
