import type { AlertNotification, AlertUpdate } from '@churn/contracts';
import { uniqueId } from './test-env';

const HOUR = 3_600_000;

/** A change of a critical alert on `alert-updates` at `at` (ms), due four hours later; nobody assigned, no note. */
export function anAlertUpdate(
  customerId: string,
  alertId: string,
  change: AlertUpdate['change'],
  state: AlertUpdate['state'],
  at: number,
  overrides: Partial<AlertUpdate> = {},
): AlertUpdate {
  return {
    schema_version: 1,
    update_id: uniqueId('u'),
    alert_id: alertId,
    customer_id: customerId,
    level: 'critical',
    state,
    change,
    assignee: null,
    by: null,
    note: null,
    due_at: new Date(at + 4 * HOUR).toISOString(),
    occurred_at: new Date(at).toISOString(),
    ...overrides,
  };
}

/** A first Slack attempt that was sent, for the alert `<customer>-alert`, on `alert-notifications` at `at` (ms). */
export function anAlertNotification(customerId: string, at: number, overrides: Partial<AlertNotification> = {}): AlertNotification {
  return {
    schema_version: 1,
    notification_id: uniqueId('n'),
    alert_id: `${customerId}-alert`,
    customer_id: customerId,
    channel: 'slack',
    form: 'single',
    outcome: 'sent',
    attempt: 1,
    failure: null,
    parked: false,
    occurred_at: new Date(at).toISOString(),
    ...overrides,
  };
}
