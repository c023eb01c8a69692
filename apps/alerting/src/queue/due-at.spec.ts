import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dueAt, isOverdue, levelTargets } from './due-at';

const targets = { critical: 24 * 3600, high: 48 * 3600, medium: 168 * 3600, low: 336 * 3600 };
const created = new Date('2026-03-10T12:00:00.000Z');

describe('dueAt', () => {
  it('is the creation plus the level’s SLA target', () => {
    assert.equal(dueAt(created, 'critical', targets).toISOString(), '2026-03-11T12:00:00.000Z');
    assert.equal(dueAt(created, 'high', targets).toISOString(), '2026-03-12T12:00:00.000Z');
    assert.equal(dueAt(created, 'low', { ...targets, low: 90 }).toISOString(), '2026-03-10T12:01:30.000Z');
  });
});

describe('isOverdue', () => {
  const due = dueAt(created, 'critical', targets);
  it('is true only for a pending alert strictly past its deadline', () => {
    assert.equal(isOverdue('pending', due, new Date('2026-03-11T12:00:00.001Z')), true);
    assert.equal(isOverdue('pending', due, new Date('2026-03-11T12:00:00.000Z')), false);
    assert.equal(isOverdue('pending', due, new Date('2026-03-11T11:59:59.999Z')), false);
  });

  it('is false once the alert is acknowledged, expired or resolved, however late', () => {
    const late = new Date('2026-04-01T00:00:00Z');
    for (const status of ['acknowledged', 'expired', 'resolved']) assert.equal(isOverdue(status, due, late), false, status);
  });
});

describe('levelTargets', () => {
  it('lists every level with its target and a severity rank that grows with severity', () => {
    const t = levelTargets(targets);
    assert.deepEqual(t.levels, ['low', 'medium', 'high', 'critical']);
    assert.deepEqual(t.targetSeconds, [336 * 3600, 168 * 3600, 48 * 3600, 24 * 3600]);
    assert.deepEqual(t.ranks, [0, 1, 2, 3]);
  });
});
