import { DomainError } from '@churn/service-kit';

/** An alert that does not exist, or whose state refuses the action (already acknowledged, expired or resolved). */
export type AlertErrorCode = 'ALERT_NOT_FOUND' | 'ALERT_ACKNOWLEDGED' | 'ALERT_EXPIRED' | 'ALERT_RESOLVED' | 'ALERT_STATE_CONFLICT';

export class AlertError extends DomainError<AlertErrorCode> {}

export function alertNotFound(alertId: string): AlertError {
  return new AlertError('ALERT_NOT_FOUND', `no alert ${alertId}`);
}

const STATE_CODES: Readonly<Record<string, AlertErrorCode>> = { acknowledged: 'ALERT_ACKNOWLEDGED', expired: 'ALERT_EXPIRED', resolved: 'ALERT_RESOLVED' };

/** The code of an action refused by the alert's state (a pending alert refuses none; a race is a conflict still). */
export function alertStateCode(status: string): AlertErrorCode {
  return STATE_CODES[status] ?? 'ALERT_STATE_CONFLICT';
}
