import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crmActivitySchema } from '@churn/contracts';
import type { CrmOutboxRow } from '@churn/crm-sync-data';
import { activityOfCompletedTask, activityOfSentRow } from './crm-activity';
import type { CompletedTask } from './crm-gateway';

const at = new Date('2026-03-10T12:00:00Z');

function aRow(overrides: Partial<CrmOutboxRow>): CrmOutboxRow {
  return {
    id: '1',
    idempotency_key: 'score:salesforce:pred-1',
    target: 'salesforce',
    kind: 'score',
    customer_id: 'c-1',
    payload: { risk_score: 82, alert_id: 'alrt-1' },
    status: 'pending',
    attempts: 0,
    next_attempt_at: at,
    last_error: null,
    external_id: null,
    created_at: at,
    sent_at: null,
    ...overrides,
  };
}

const completed: CompletedTask = {
  taskId: 'T-9',
  alertId: 'alrt-1',
  owner: 'Jane Doe',
  completedAt: '2026-03-11T09:30:00+01:00',
  modifiedAt: '2026-03-11T08:31:00Z',
  subject: 'Call',
  type: 'call',
  closedOnChurn: false,
};

describe('crm activity messages', () => {
  it('reports a score written, a churn written and a task created, each valid and keyed by its outbox row', () => {
    const score = activityOfSentRow(aRow({}), '003X', at)!;
    assert.deepEqual(crmActivitySchema.parse(score), score);
    assert.equal(score.activity_id, 'score:salesforce:pred-1:written');
    assert.equal(score.risk_score, 82);
    const churn = activityOfSentRow(aRow({ kind: 'churn', idempotency_key: 'churn:hubspot:c-1:2026-03-10', target: 'hubspot' }), null, at)!;
    assert.equal(crmActivitySchema.parse(churn).write, 'churn');
    const task = activityOfSentRow(aRow({ kind: 'task', idempotency_key: 'task:salesforce:alrt-1' }), '00T1', at)!;
    assert.equal(crmActivitySchema.parse(task).kind, 'task_created');
    assert.equal(task.alert_id, 'alrt-1');
    assert.equal(task.external_id, '00T1');
  });

  it('does not report a task the CRM gave no id', () => {
    assert.equal(activityOfSentRow(aRow({ kind: 'task' }), null, at), undefined);
  });

  it('reports a completed task by who completed it, and one closed on churn without anyone', () => {
    const ours = { customer_id: 'c-1', alert_id: 'alrt-1', external_id: 'T-9' };
    const done = activityOfCompletedTask('hubspot', completed, ours);
    assert.deepEqual(crmActivitySchema.parse(done), done);
    assert.equal(done.activity_id, 'task-completed:hubspot:T-9');
    assert.equal(done.completed_by, 'Jane Doe');
    assert.equal(done.occurred_at, '2026-03-11T08:30:00.000Z');
    assert.equal(activityOfCompletedTask('hubspot', { ...completed, closedOnChurn: true }, ours).completed_by, null);
  });
});
