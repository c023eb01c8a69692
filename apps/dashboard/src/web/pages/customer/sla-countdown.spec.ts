import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slaCountdown } from './sla-countdown';

const NOW = Date.parse('2026-12-03T12:00:00Z');

describe('slaCountdown', () => {
  it('counts down to the deadline in days, hours and minutes', () => {
    assert.deepEqual(slaCountdown('2026-12-03T15:20:30Z', NOW), { overdue: false, text: 'due in 3 h 20 min' });
    assert.deepEqual(slaCountdown('2026-12-05T14:00:00Z', NOW), { overdue: false, text: 'due in 2 d 2 h' });
    assert.deepEqual(slaCountdown('2026-12-03T12:00:59Z', NOW), { overdue: false, text: 'due in 0 min' });
  });

  it('says how long ago a passed deadline was', () => {
    assert.deepEqual(slaCountdown('2026-12-03T11:15:00Z', NOW), { overdue: true, text: 'overdue by 45 min' });
    assert.deepEqual(slaCountdown('2026-12-02T10:00:00Z', NOW), { overdue: true, text: 'overdue by 1 d 2 h' });
  });

  it('an unreadable deadline is no deadline', () => {
    assert.deepEqual(slaCountdown('not a time', NOW), { overdue: false, text: 'no deadline' });
  });
});
