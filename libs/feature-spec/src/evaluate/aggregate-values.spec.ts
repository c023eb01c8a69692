import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFeatureSpec } from '../load-feature-spec';
import { aggregateValues } from './aggregate-values';
import type { EvaluatedEvent } from './evaluator-types';
import { before, event, T } from './fixtures/timed-events';

/** The value of one aggregate, declared inline in YAML flow style, over the events at T. */
function valueOf(aggregate: string, events: EvaluatedEvent[], asOf = T) {
  const spec = parseFeatureSpec(`version: 1\ncustomer_id: { column: id }\naggregates:\n  - { name: a, ${aggregate} }\n`);
  return aggregateValues(spec, events, asOf)['a'];
}

// The window's edges: T − w is out, 1 ms later is in, T is in, 1 ms after T is out.
const edges = () => [event(before(7)), event(before(7, -1)), event(T), event(before(0, -1))];

describe('aggregateValues', () => {
  it('count: the events of the window T − w < t ≤ T; 0 when none', () => {
    assert.equal(valueOf('kind: count, event_type: user.logged_in, window_days: 7', edges()), 2);
    assert.equal(valueOf('kind: count, event_type: user.logged_in, window_days: 7', []), 0);
    assert.equal(valueOf('kind: count, event_type: user.logged_in, window_days: 7', [event(T, {}, 'user.logged_out')]), 0);
  });

  it('sum: exact over the window; 0 when none; rounded half up to decimals', () => {
    const amounts = [event(before(7), { x: 100 }), event(before(7, -1), { x: 0.1 }), event(T, { x: 0.2 }), event(before(0, -1), { x: 100 })];
    assert.equal(valueOf('kind: sum, event_type: user.logged_in, field: x, window_days: 7', amounts), 0.3);
    assert.equal(valueOf('kind: sum, event_type: user.logged_in, field: x, window_days: 7', []), 0);
    assert.equal(
      valueOf('kind: sum, event_type: user.logged_in, field: x, window_days: 7, decimals: 2', [event(T, { x: 1.004 }), event(T, { x: 0.001 })]),
      1.01,
    );
    assert.equal(valueOf('kind: sum, event_type: user.logged_in, field: x, window_days: 7, decimals: 0', [event(T, { x: -2.5 })]), -2);
  });

  it('mean: of the window; null when none', () => {
    const values = [event(before(7), { x: 100 }), event(before(7, -1), { x: 1 }), event(T, { x: 2 }), event(before(0, -1), { x: 100 })];
    assert.equal(valueOf('kind: mean, event_type: user.logged_in, field: x, window_days: 7', values), 1.5);
    assert.equal(
      valueOf('kind: mean, event_type: user.logged_in, field: x, window_days: 7, decimals: 3', [event(T, { x: 1 }), event(T, { x: 1 }), event(T, { x: 0 })]),
      0.667,
    );
    assert.equal(valueOf('kind: mean, event_type: user.logged_in, field: x, window_days: 7', [event(before(7), { x: 1 })]), null);
  });

  it('last: the latest event by occurred_at (a tie: the later in the log), in the window when one is given; null when none', () => {
    const events = [
      event(before(2), { device: 'tablet' }),
      event(before(1), { device: 'mobile' }),
      event(before(1), { device: 'desktop' }),
      event(before(3), { device: 'tv' }),
    ];
    assert.equal(valueOf('kind: last, event_type: user.logged_in, field: device', events), 'desktop');
    assert.equal(
      valueOf('kind: last, event_type: user.logged_in, field: device', [event(before(400), { device: 'old' }), event(before(0, -1), { device: 'future' })]),
      'old',
    );
    assert.equal(valueOf('kind: last, event_type: user.logged_in, field: device, window_days: 7', [event(before(7), { device: 'edge' })]), null);
    assert.equal(valueOf('kind: last, event_type: user.logged_in, field: ok', [event(T, { ok: true })]), 1);
    assert.equal(valueOf('kind: last, event_type: user.logged_in, field: x, decimals: 1', [event(T, { x: 2.25 })]), 2.3);
  });

  it('days_since: whole days since the latest event, in the window when one is given; null when none', () => {
    assert.equal(valueOf('kind: days_since, event_type: user.logged_in', [event(before(3, -1)), event(before(400))]), 2);
    assert.equal(valueOf('kind: days_since, event_type: user.logged_in', [event(T)]), 0);
    assert.equal(valueOf('kind: days_since, event_type: user.logged_in', [event(before(400))]), 400);
    assert.equal(valueOf('kind: days_since, event_type: user.logged_in, window_days: 7', [event(before(7))]), null);
    assert.equal(valueOf('kind: days_since, event_type: user.logged_in, window_days: 7', [event(before(7, -1))]), 6);
    assert.equal(valueOf('kind: days_since, event_type: user.logged_in', []), null);
  });

  it('trend: (this window − the one before) / the one before, windows T − w < t ≤ T and T − 2w < t ≤ T − w; null when the one before has nothing', () => {
    const counts = [event(before(14)), event(before(14, -1)), event(before(7)), event(before(7, -1)), event(T)];
    // Before: (T−14d+1ms, T−7d] = 2 events; now: (T−7d+1ms, T] = 2 events.
    assert.equal(valueOf('kind: trend, measure: count, event_type: user.logged_in, window_days: 7', counts), 0);
    assert.equal(valueOf('kind: trend, measure: count, event_type: user.logged_in, window_days: 7', [event(before(7)), event(T), event(T), event(T)]), 2);
    assert.equal(valueOf('kind: trend, measure: count, event_type: user.logged_in, window_days: 7', [event(before(8))]), -1);
    assert.equal(valueOf('kind: trend, measure: count, event_type: user.logged_in, window_days: 7', [event(before(14)), event(T)]), null);
    const sums = [event(before(10), { q: 3 }), event(T, { q: 4 })];
    assert.equal(valueOf('kind: trend, measure: sum, field: q, event_type: user.logged_in, window_days: 7, decimals: 4', sums), 0.3333);
    assert.equal(
      valueOf('kind: trend, measure: sum, field: q, event_type: user.logged_in, window_days: 7', [event(before(10), { q: 0 }), event(T, { q: 4 })]),
      null,
    );
  });

  it('filter: every operator keeps the events whose field compares true; an event without the field never passes', () => {
    const tickets = ['low', 'medium', 'high', 'critical'].map((severity) => event(T, { severity, n: severity.length }));
    const count = (filter: string) => valueOf(`kind: count, event_type: user.logged_in, window_days: 1, filter: ${filter}`, [...tickets, event(T, {})]);
    assert.equal(count('{ field: severity, op: eq, value: high }'), 1);
    assert.equal(count('{ field: severity, op: ne, value: high }'), 3);
    assert.equal(count('{ field: severity, op: in, value: [high, critical] }'), 2);
    assert.equal(count('{ field: severity, op: not_in, value: [high, critical] }'), 2);
    // Lengths: low 3, medium 6, high 4, critical 8.
    assert.equal(count('{ field: n, op: gt, value: 4 }'), 2);
    assert.equal(count('{ field: n, op: gte, value: 4 }'), 3);
    assert.equal(count('{ field: n, op: lt, value: 4 }'), 1);
    assert.equal(count('{ field: n, op: lte, value: 4 }'), 2);
    assert.equal(count('{ field: n, op: eq, value: "4" }'), 0, 'no coercion between strings and numbers');
  });
});
