import type { AlertRow } from '@churn/alerting-data';

/** A pending alert row as Postgres returns it, for specs; overrides state only what a spec is about. */
export function anAlertRow(overrides: Partial<AlertRow> = {}): AlertRow {
  return {
    alert_id: 'alrt-1',
    customer_id: 'C-1',
    prediction_id: 'p-1',
    level: 'critical',
    risk_score: 88,
    message: 'm',
    reason: 'level',
    details: {},
    status: 'pending',
    created_at: new Date('2026-03-10T12:00:00Z'),
    acknowledged_at: null,
    acknowledged_by: null,
    resolved_at: null,
    resolved_by: null,
    resolution: null,
    assignee: null,
    assigned_at: null,
    acknowledge_note: null,
    resolve_note: null,
    expired_at: null,
    ...overrides,
  };
}
