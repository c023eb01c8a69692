import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, slaCountdown } from './sla-countdown';

const NOW = Date.parse('2026-03-02T09:00:00Z');
const at = (minutesFromNow: number) => new Date(NOW + minutesFromNow * 60_000).toISOString();

describe('SLA countdown', () => {
  it('counts down to a pending alert’s deadline in minutes, hours and days', () => {
    assert.deepEqual(slaCountdown(at(190), 'pending', NOW), { text: 'due in 3 h 10 min', overdue: false });
    assert.deepEqual(slaCountdown(at(25), 'pending', NOW), { text: 'due in 25 min', overdue: false });
    assert.deepEqual(slaCountdown(at(120), 'pending', NOW), { text: 'due in 2 h', overdue: false });
    assert.deepEqual(slaCountdown(at(52 * 60), 'pending', NOW), { text: 'due in 2 d 4 h', overdue: false });
    assert.deepEqual(slaCountdown(at(0.5), 'pending', NOW), { text: 'due in less than a minute', overdue: false });
  });

  it('says how long a pending alert is past its deadline, from the first millisecond', () => {
    assert.deepEqual(slaCountdown(at(-25), 'pending', NOW), { text: 'overdue by 25 min', overdue: true });
    assert.deepEqual(slaCountdown(new Date(NOW - 1).toISOString(), 'pending', NOW), { text: 'overdue by less than a minute', overdue: true });
    assert.deepEqual(slaCountdown(at(-(26 * 60 + 5)), 'pending', NOW), { text: 'overdue by 26 h 5 min', overdue: true });
    assert.equal(slaCountdown(at(0), 'pending', NOW).overdue, false, 'at the deadline it is not yet past it');
  });

  it('has no running deadline once acknowledged, expired or resolved, however late', () => {
    for (const status of ['acknowledged', 'expired', 'resolved']) assert.deepEqual(slaCountdown(at(-600), status, NOW), { text: '—', overdue: false });
  });

  it('ticks: the same alert reads one minute less a minute later, and turns overdue when the deadline passes', () => {
    const due = at(1);
    assert.equal(slaCountdown(due, 'pending', NOW).text, 'due in 1 min');
    assert.equal(slaCountdown(due, 'pending', NOW + 30_000).text, 'due in less than a minute');
    assert.deepEqual(slaCountdown(due, 'pending', NOW + 61_000), { text: 'overdue by less than a minute', overdue: true });
  });

  it('formats whole hours and days without a zero remainder', () => {
    assert.equal(formatDuration(48 * 3_600_000), '2 d');
    assert.equal(formatDuration(-59 * 60_000), '59 min');
  });
});
