import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFeatureSpec } from '../load-feature-spec';
import { aggregateValues } from './aggregate-values';
import { foldEvents } from './apply-event';
import type { EvaluatedEvent, EvaluatorState } from './evaluator-types';
import { SAAS_SPEC, randomSaasHistory } from './fixtures/saas-spec';
import { SeededRandom } from './fixtures/seeded-random';
import { before, event, T } from './fixtures/timed-events';
import { hasWindows, windowedAggregateValues } from './windowed-events';

const at = before;

const spec = parseFeatureSpec(`
version: 1
customer_id: { column: id }
aggregates:
  - { name: logins_7d, kind: count, event_type: user.logged_in, window_days: 7 }
  - { name: logins_trend_7d, kind: trend, measure: count, event_type: user.logged_in, window_days: 7 }
  - { name: last_device, kind: last, event_type: user.logged_in, field: device }
  - { name: days_since_login, kind: days_since, event_type: user.logged_in }
  - { name: last_severity_30d, kind: last, event_type: support.ticket_opened, field: severity, window_days: 30 }
  - { name: severe_30d, kind: count, event_type: support.ticket_opened, window_days: 30, filter: { field: severity, op: eq, value: high } }
`);

const fold = (events: readonly EvaluatedEvent[]) => foldEvents(spec, events)!;
const keptOf = (state: EvaluatorState) => Object.fromEntries(Object.entries(state.windows ?? {}).map(([key, entries]) => [key, entries.length]));

describe('the aggregates kept in the state (windows)', () => {
  it('keeps one stream per event type, filter and reading (the latest, or a window), only what its aggregates can still read', () => {
    // Logins over 20 days: the count/trend stream reads 14 days back, so 7 of them fall out of it.
    const logins = Array.from({ length: 20 }, (_, day) => event(at(19 - day), { device: day % 2 ? 'mobile' : 'web' }));
    const tickets = [event(at(40), { severity: 'high' }, 'support.ticket_opened'), event(at(3), { severity: 'low' }, 'support.ticket_opened')];
    const state = fold([...logins, ...tickets]);
    assert.deepEqual(keptOf(state), { logins_7d: 14, last_device: 1, last_severity_30d: 1 });
    // A count reads no payload field; a last keeps only the field it reads.
    assert.deepEqual(state.windows!['logins_7d']![0], [Date.parse(at(13))]);
    assert.deepEqual(state.windows!['last_device'], [[Date.parse(T), { device: 'mobile' }]]);
    assert.deepEqual(windowedAggregateValues(spec, state), aggregateValues(spec, [...logins, ...tickets], state.lastEventAt));
  });

  it('does not keep a late event that is already out of every window, and keeps one inside', () => {
    const state = fold([event(at(0)), event(at(15), { device: 'web' }), event(at(13), { device: 'tv' })]);
    assert.deepEqual(keptOf(state), { logins_7d: 2, last_device: 1 });
    assert.deepEqual(state.windows!['last_device'], [[Date.parse(T), {}]]);
    assert.equal(windowedAggregateValues(spec, state)['logins_trend_7d'], 0);
  });

  it('on a tie in time, the later arrival is the latest (as the log reads them)', () => {
    const events = [event(at(1), { device: 'web' }), event(at(1), { device: 'mobile' })];
    const state = fold(events);
    assert.equal(windowedAggregateValues(spec, state)['last_device'], 'mobile');
    assert.equal(aggregateValues(spec, events, state.lastEventAt)['last_device'], 'mobile');
    const late = fold([event(at(0)), ...events]);
    assert.equal(windowedAggregateValues(spec, late)['last_device'], null);
  });

  it('refuses a time before the latest event, and a state without windows', () => {
    const state = fold([event(at(0))]);
    assert.throws(() => windowedAggregateValues(spec, state, at(1)), /before the state's latest event/);
    const { windows: _dropped, ...old } = state;
    assert.equal(hasWindows(spec, old), false);
    assert.equal(hasWindows(spec, state), true);
    assert.throws(() => windowedAggregateValues(spec, old), /rebuild it from the event log/);
  });

  it('stays the size of the windows, not of the history', () => {
    const random = new SeededRandom(7);
    let largest = 0;
    let state: EvaluatorState | undefined;
    for (let k = 0; k < 40; k++) {
      const history = randomSaasHistory(random, `S-${k}`, 720);
      state = foldEvents(SAAS_SPEC, random.arrivalOrder(history, 0.35))!;
      const kept = Object.values(state.windows ?? {}).reduce((sum, entries) => sum + entries.length, 0);
      largest = Math.max(largest, kept);
      assert.ok(kept < history.length, `${kept} kept of ${history.length}`);
      assert.deepEqual(windowedAggregateValues(SAAS_SPEC, state), aggregateValues(SAAS_SPEC, history, state.lastEventAt));
    }
    assert.ok(largest > 0);
  });

  it('is absent for a spec without aggregates', () => {
    const plain = parseFeatureSpec(
      `version: 1\ncustomer_id: { column: id }\nderived:\n  - { name: logins, kind: lifetime_count, event_type: user.logged_in }\n`,
    );
    const state = foldEvents(plain, [event(at(0))])!;
    assert.equal(state.windows, undefined);
    assert.equal(hasWindows(plain, state), true);
  });
});
