import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addCalendarMonths, wholeCalendarMonths } from './calendar-months';

const months = (a: string, b: string) => wholeCalendarMonths(new Date(a), new Date(b));

describe('wholeCalendarMonths', () => {
  it('counts a month only once its anniversary is reached', () => {
    assert.equal(months('2024-01-15T10:00:00Z', '2024-02-15T09:59:59Z'), 0);
    assert.equal(months('2024-01-15T10:00:00Z', '2024-02-15T10:00:00Z'), 1);
    assert.equal(months('2024-01-15T10:00:00Z', '2024-03-14T23:00:00Z'), 1);
    assert.equal(months('2019-01-15T00:00:00Z', '2025-01-15T00:00:00Z'), 72);
  });

  it('lets a start on the 31st complete on the last day of shorter months', () => {
    assert.equal(months('2024-01-31T00:00:00Z', '2024-02-29T00:00:00Z'), 1);
    assert.equal(months('2023-01-31T00:00:00Z', '2023-02-28T00:00:00Z'), 1);
    assert.equal(months('2024-01-31T00:00:00Z', '2024-02-28T00:00:00Z'), 0);
  });

  it('is zero for the same instant and for an end before the start', () => {
    assert.equal(months('2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'), 0);
    assert.equal(months('2024-05-01T00:00:00Z', '2024-01-01T00:00:00Z'), 0);
  });

  it('works in UTC whatever the offset of the input', () => {
    assert.equal(months('2024-01-31T23:30:00-02:00', '2024-03-01T01:30:00Z'), 1);
  });

  it('is the inverse of addCalendarMonths for every tenure of the Telco data', () => {
    const start = new Date('2018-08-31T12:00:00Z');
    for (let n = 0; n <= 72; n++) assert.equal(wholeCalendarMonths(start, addCalendarMonths(start, n)), n, `tenure ${n}`);
  });
});
