import type { RiskLevel } from '@churn/contracts';
import type { AlertRow } from '@churn/alerting-data';
import { type AlertDetails, type AlertView as AlertAnswer, riskLevelSchema } from '@churn/contracts';
import { dueAt, isOverdue } from '../queue/due-at';

/** An alert as the API shows it (the contract's): the row with ISO timestamps, its deadline to acknowledge and whether it is past it. */
export type AlertView = AlertAnswer;

export function alertView(row: AlertRow, targets: Record<RiskLevel, number>, now = new Date()): AlertView {
  const level = riskLevelSchema.parse(row.level);
  const due = dueAt(row.created_at, level, targets);
  return {
    ...row,
    level,
    // Written by alerting from the validated alert (its recommended action, revenue at risk, top factors, model).
    details: row.details as AlertDetails,
    created_at: row.created_at.toISOString(),
    acknowledged_at: row.acknowledged_at?.toISOString() ?? null,
    resolved_at: row.resolved_at?.toISOString() ?? null,
    assigned_at: row.assigned_at?.toISOString() ?? null,
    expired_at: row.expired_at?.toISOString() ?? null,
    due_at: due.toISOString(),
    overdue: isOverdue(row.status, due, now),
  };
}
