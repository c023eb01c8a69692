import type { Intervention } from '@churn/contracts';
import type { CrmTarget, PlatformTask } from '@churn/crm-sync-data';
import type { CompletedTask } from './crm-gateway';

/** Why a completed task read back records no intervention, or `recorded` when it does. */
export type ReadbackResult = 'recorded' | 'not_ours' | 'closed_on_churn';

/**
 * A completed task of the platform's as the intervention it records: its owner did it (who), when it
 * was completed, the task's subject as the action and its type as the channel, keyed by the CRM's
 * task id (the same task read twice is the same intervention). No cost: a task has none; monitoring
 * counts the customer as treated at the risk level's estimate.
 */
export function interventionOfTask(target: CrmTarget, task: CompletedTask, ours: PlatformTask): Intervention {
  return {
    customer_id: ours.customer_id,
    performed_by: text(task.owner, 200) || 'unknown',
    performed_at: task.completedAt,
    action: text(task.subject, 500) || 'Task',
    ...(task.type && text(task.type, 100) ? { channel: text(task.type, 100) } : {}),
    source: target,
    source_key: task.taskId,
  };
}

/**
 * Which tasks of a page record an intervention: those the platform created (found in its outbox, by
 * alert id or by the CRM's id) and that a person completed — not those crm-sync closed itself when
 * their customer churned.
 */
export function classifyTasks(
  tasks: readonly CompletedTask[],
  byAlertId: ReadonlyMap<string, PlatformTask>,
  byExternalId: ReadonlyMap<string, PlatformTask>,
): { task: CompletedTask; result: ReadbackResult; ours?: PlatformTask }[] {
  return tasks.map((task) => {
    const ours = (task.alertId !== null ? byAlertId.get(task.alertId) : undefined) ?? byExternalId.get(task.taskId);
    if (!ours) return { task, result: 'not_ours' };
    if (task.closedOnChurn) return { task, result: 'closed_on_churn', ours };
    return { task, result: 'recorded', ours };
  });
}

/** The newest modification time of a page: where the next read starts. */
export function newestModified(tasks: readonly CompletedTask[]): Date | null {
  let newest: number | null = null;
  for (const t of tasks) {
    const at = Date.parse(t.modifiedAt);
    if (newest === null || at > newest) newest = at;
  }
  return newest === null ? null : new Date(newest);
}

/** CRM text as the contract takes it: no NUL (Postgres text cannot hold one), trimmed, within its length. */
function text(value: string, max: number): string {
  return value.replaceAll('\u0000', '').trim().slice(0, max).trim();
}
