import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { msUntilMidnight } from './rate-limit-window';

const HOUR = 3_600_000;

describe('msUntilMidnight', () => {
  it('counts to the next midnight of the time zone, not of UTC', () => {
    assert.equal(msUntilMidnight('UTC', Date.parse('2026-03-07T17:00:00Z')), 7 * HOUR);
    // 12:00 in New York (EST, UTC-5): midnight is 12 h away.
    assert.equal(msUntilMidnight('America/New_York', Date.parse('2026-03-07T17:00:00Z')), 12 * HOUR);
  });

  it('knows that the day daylight saving starts has 23 hours', () => {
    // 01:00 EST on 8 March 2026; clocks jump from 02:00 to 03:00, so the next midnight (EDT) is 22 h away.
    assert.equal(msUntilMidnight('America/New_York', Date.parse('2026-03-08T06:00:00Z')), 22 * HOUR);
    assert.equal(msUntilMidnight('Europe/Berlin', Date.parse('2026-10-25T00:30:00Z')), 22.5 * HOUR, 'the day daylight saving ends has 25 hours');
  });
});
