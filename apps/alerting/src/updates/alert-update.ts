import type { AlertChange, AlertState, AlertUpdate, RiskLevel } from '@churn/contracts';
import type { AlertRow } from '@churn/alerting-data';

export interface AlertUpdateFacts {
  readonly by: string | null;
  readonly note: string | null;
  readonly dueAt: Date;
  /** Unique per change; changes an alert goes through once (raised, acknowledged, resolved, churned, expired) leave it out and get `<alert_id>:<change>`. */
  readonly updateId?: string;
}

/** When the change happened, from the row it left: the column the change set. */
function occurredAt(row: AlertRow, change: AlertChange): Date {
  switch (change) {
    case 'raised':
      return row.created_at;
    case 'acknowledged':
      return row.acknowledged_at ?? new Date();
    case 'resolved':
    case 'churned':
      return row.resolved_at ?? new Date();
    case 'expired':
      return row.expired_at ?? new Date();
    case 'assigned':
      return row.assigned_at ?? new Date();
    case 'reopened':
      return new Date();
  }
}

/** The `alert-updates` message for a change, from the alert's row as the change left it. */
export function alertUpdateOf(row: AlertRow, change: AlertChange, facts: AlertUpdateFacts): AlertUpdate {
  return {
    schema_version: 1,
    update_id: facts.updateId ?? `${row.alert_id}:${change}`,
    alert_id: row.alert_id,
    customer_id: row.customer_id,
    level: row.level as RiskLevel,
    state: row.status as AlertState,
    change,
    assignee: row.assignee,
    by: facts.by,
    note: facts.note,
    due_at: facts.dueAt.toISOString(),
    occurred_at: occurredAt(row, change).toISOString(),
    risk_score: row.risk_score,
    message: row.message,
    raised_at: row.created_at.toISOString(),
    acknowledged_at: row.acknowledged_at?.toISOString() ?? null,
  };
}
