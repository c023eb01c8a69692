import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lastCompletedPeriod, periodDays, previousPeriod, reportQuerySchema } from './report-request';

const schema = reportQuerySchema({ maxPeriodDays: 31, defaultTop: 25 });
const fieldsOf = (query: Record<string, string>) => {
  const result = schema.safeParse(query);
  return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
};

describe('report request', () => {
  it('reads a day as midnight UTC and a time with its zone, with pdf and REPORT_TOP_CUSTOMERS by default', () => {
    const parsed = schema.parse({ from: '2026-03-01', to: '2026-03-08T12:00:00+02:00' });
    assert.equal(parsed.from.toISOString(), '2026-03-01T00:00:00.000Z');
    assert.equal(parsed.to.toISOString(), '2026-03-08T10:00:00.000Z');
    assert.equal(parsed.format, 'pdf');
    assert.equal(parsed.top, 25);
  });

  it('names the field of each problem', () => {
    assert.deepEqual(fieldsOf({ from: '2026-03-01T00:00:00', to: '2026-03-08' }), ['from'], 'a time without its zone');
    assert.deepEqual(fieldsOf({ from: '2026-03-08', to: '2026-03-08' }), ['to'], 'an empty period');
    assert.deepEqual(fieldsOf({ from: '2026-01-01', to: '2026-03-01' }), ['to'], 'longer than the limit');
    assert.deepEqual(fieldsOf({ from: '2026-03-01', to: '2026-03-08', format: 'xlsx', top: '501' }), ['format', 'top']);
    assert.deepEqual(fieldsOf({ from: '2999-01-01', to: '2999-01-02' }), ['from'], 'in the future');
    assert.deepEqual(fieldsOf({ to: '2026-03-08' }), ['from']);
  });

  it('compares with the period of the same length just before', () => {
    const before = previousPeriod({ from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-08T00:00:00Z') });
    assert.deepEqual(before, { from: new Date('2026-02-22T00:00:00Z'), to: new Date('2026-03-01T00:00:00Z') });
    assert.equal(periodDays({ from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-01T12:00:00Z') }), 0.5);
  });

  it('gives the scheduled reports the last whole UTC day or week, the same all day long', () => {
    for (const now of ['2026-03-08T06:00:00Z', '2026-03-08T23:59:59Z']) {
      assert.deepEqual(lastCompletedPeriod('daily', new Date(now)), { from: new Date('2026-03-07T00:00:00Z'), to: new Date('2026-03-08T00:00:00Z') });
      assert.deepEqual(lastCompletedPeriod('weekly', new Date(now)), { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-08T00:00:00Z') });
    }
  });
});
