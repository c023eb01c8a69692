import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFeatureSpec } from '../load-feature-spec';
import { compileSpec } from './compiled-spec';

const DAY = 86_400_000;

describe('compileSpec: the aggregate streams a state keeps', () => {
  it('groups by event type, filter and reading; each reads as far back as its longest window (trend: two), the whole history for last and days_since without one', () => {
    const spec = parseFeatureSpec(`
version: 1
customer_id: { column: id }
aggregates:
  - { name: a, kind: count, event_type: x.a, window_days: 30 }
  - { name: b, kind: trend, measure: count, event_type: x.a, window_days: 20 }
  - { name: c, kind: days_since, event_type: x.b, window_days: 5 }
  - { name: d, kind: last, event_type: x.c, field: f }
  - { name: e, kind: count, event_type: x.c, window_days: 9 }
  - { name: g, kind: sum, event_type: x.c, field: amount, window_days: 3, filter: { field: kind, op: eq, value: refund } }
  - { name: h, kind: trend, measure: sum, event_type: x.c, field: amount, window_days: 2, filter: { field: kind, op: eq, value: refund } }
`);
    const streams = compileSpec(spec).streams.map(({ key, eventType, aggregates, fields, horizonMs, latestOnly }) => ({
      key,
      eventType,
      names: aggregates.map((a) => a.name),
      fields,
      days: horizonMs === null ? null : horizonMs / DAY,
      latestOnly,
    }));
    assert.deepEqual(streams, [
      { key: 'a', eventType: 'x.a', names: ['a', 'b'], fields: [], days: 40, latestOnly: false },
      { key: 'c', eventType: 'x.b', names: ['c'], fields: [], days: 5, latestOnly: true },
      { key: 'd', eventType: 'x.c', names: ['d'], fields: ['f'], days: null, latestOnly: true },
      { key: 'e', eventType: 'x.c', names: ['e'], fields: [], days: 9, latestOnly: false },
      { key: 'g', eventType: 'x.c', names: ['g', 'h'], fields: ['amount'], days: 4, latestOnly: false },
    ]);
  });
});
