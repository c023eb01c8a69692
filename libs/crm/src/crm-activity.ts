import type { CrmActivity } from '@churn/contracts';
import type { CrmOutboxRow, CrmTarget, PlatformTask } from '@churn/crm-sync-data';
import type { CompletedTask } from './crm-gateway';
import type { ScorePayload, TaskPayload } from './crm-payloads';

const base = { schema_version: 1 as const, external_id: null, write: null, risk_score: null, alert_id: null, completed_by: null };

/**
 * The `crm-activity` message of an outbox row the CRM took: a score or a churn written to the
 * customer's record, or a task created. Keyed by the row's idempotency key, so recording the same
 * push twice is one message. A task the CRM gave no id is not reported (its completion could never be
 * tied to it); undefined then.
 */
export function activityOfSentRow(row: CrmOutboxRow, externalId: string | null, at: Date): CrmActivity | undefined {
  const common = { ...base, customer_id: row.customer_id, crm: row.target, occurred_at: at.toISOString() };
  switch (row.kind) {
    case 'score':
      return {
        ...common,
        activity_id: `${row.idempotency_key}:written`,
        kind: 'record_written',
        external_id: externalId,
        write: 'score',
        risk_score: (row.payload as unknown as ScorePayload).risk_score,
      };
    case 'churn':
      return { ...common, activity_id: `${row.idempotency_key}:written`, kind: 'record_written', external_id: externalId, write: 'churn' };
    case 'task':
      if (!externalId) return undefined;
      return {
        ...common,
        activity_id: `${row.idempotency_key}:created`,
        kind: 'task_created',
        external_id: externalId,
        alert_id: (row.payload as unknown as TaskPayload).alert_id,
      };
  }
}

/**
 * The `crm-activity` message of one of the platform's tasks read back as completed: by a person
 * (`completed_by`: who), or closed by crm-sync when the customer churned (null). Keyed by the CRM's
 * task id: reading the task again is the same message.
 */
export function activityOfCompletedTask(crm: CrmTarget, task: CompletedTask, ours: PlatformTask): CrmActivity {
  return {
    ...base,
    activity_id: `task-completed:${crm}:${task.taskId}`,
    customer_id: ours.customer_id,
    crm,
    kind: 'task_completed',
    external_id: task.taskId,
    alert_id: ours.alert_id || null,
    completed_by: task.closedOnChurn ? null : task.owner.replaceAll('\u0000', '').trim().slice(0, 200) || null,
    // A CRM's time we cannot read is not worth losing the completion over: when it was read back then.
    occurred_at: Number.isFinite(Date.parse(task.completedAt)) ? new Date(task.completedAt).toISOString() : new Date().toISOString(),
  };
}
