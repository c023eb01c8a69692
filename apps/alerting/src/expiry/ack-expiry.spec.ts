import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ackExpiresAt, isOpenIntervention } from './ack-expiry';

const acknowledged = new Date('2026-03-10T12:00:00.000Z');

describe('acknowledgment expiry', () => {
  it('runs out the configured hours after the acknowledgment', () => {
    assert.equal(ackExpiresAt(acknowledged, 72).toISOString(), '2026-03-13T12:00:00.000Z');
    assert.equal(ackExpiresAt(acknowledged, 0.5).toISOString(), '2026-03-10T12:30:00.000Z');
  });

  it('counts an acknowledgment as an open intervention until, and not at, the moment it runs out', () => {
    assert.equal(isOpenIntervention('acknowledged', acknowledged, 72, new Date('2026-03-13T11:59:59.999Z')), true);
    assert.equal(isOpenIntervention('acknowledged', acknowledged, 72, new Date('2026-03-13T12:00:00.000Z')), false);
  });

  it('never counts a pending, expired or resolved alert', () => {
    const soon = new Date('2026-03-10T13:00:00Z');
    for (const status of ['pending', 'expired', 'resolved']) assert.equal(isOpenIntervention(status, acknowledged, 72, soon), false, status);
    assert.equal(isOpenIntervention('acknowledged', null, 72, soon), false);
  });
});
