import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertUpdateSchema } from '@churn/contracts';
import type { AlertRow } from '@churn/alerting-data';
import { anAlertRow } from '../alerts/alert-row.builder';
import { alertUpdateOf } from './alert-update';

function anAlert(overrides: Partial<AlertRow> = {}): AlertRow {
  return anAlertRow({ level: 'high', risk_score: 70, customer_id: 'C-1', ...overrides });
}

const dueAt = new Date('2026-03-12T12:00:00Z');

describe('alertUpdateOf', () => {
  it('builds a valid update whose time is the one the change set', () => {
    const raised = alertUpdateOf(anAlert(), 'raised', { by: null, note: null, dueAt });
    assert.deepEqual(alertUpdateSchema.parse(raised), raised);
    assert.equal(raised.update_id, 'alrt-1:raised');
    assert.equal(raised.occurred_at, '2026-03-10T12:00:00.000Z');
    assert.equal(raised.due_at, '2026-03-12T12:00:00.000Z');

    const expired = alertUpdateOf(
      anAlert({ status: 'expired', acknowledged_at: new Date('2026-03-10T13:00:00Z'), expired_at: new Date('2026-03-13T13:00:00Z'), assignee: 'jane' }),
      'expired',
      { by: 'system:expiry', note: null, dueAt },
    );
    assert.equal(expired.state, 'expired');
    assert.equal(expired.occurred_at, '2026-03-13T13:00:00.000Z');
    assert.equal(expired.assignee, 'jane');
    // The alert's figures travel with every change: monitoring's queue and SLA read them from there.
    assert.deepEqual([raised.risk_score, raised.raised_at, raised.acknowledged_at], [70, '2026-03-10T12:00:00.000Z', null]);
    assert.equal(raised.message, anAlert().message);
    assert.deepEqual([expired.raised_at, expired.acknowledged_at], ['2026-03-10T12:00:00.000Z', '2026-03-10T13:00:00.000Z']);
  });

  it('gives a change an alert goes through once the same id every time, and keeps an explicit id', () => {
    const row = anAlert({ status: 'acknowledged', acknowledged_at: new Date('2026-03-10T13:00:00Z') });
    assert.equal(
      alertUpdateOf(row, 'acknowledged', { by: 'jane', note: 'called', dueAt }).update_id,
      alertUpdateOf(row, 'acknowledged', { by: 'jane', note: 'called', dueAt }).update_id,
    );
    assert.equal(alertUpdateOf(row, 'assigned', { by: 'jane', note: null, dueAt, updateId: 'alrt-1:assigned:x' }).update_id, 'alrt-1:assigned:x');
  });
});
