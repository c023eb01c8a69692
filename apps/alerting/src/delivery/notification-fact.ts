import type { AlertNotification } from '@churn/contracts';
import type { DeliveredAlert } from '@churn/alerting-data';

export interface AttemptOutcome {
  readonly outcome: 'sent' | 'failed';
  readonly failure: AlertNotification['failure'];
  readonly parked: boolean;
  readonly form: 'single' | 'digest';
  readonly at: Date;
}

/**
 * The `alert-notifications` message for one alert of a delivery attempt. Its id is the outbox row's key
 * with the outcome (and the attempt, for failures): the same attempt recorded twice is one message.
 */
export function notificationFactOf(alert: DeliveredAlert, attempt: AttemptOutcome): AlertNotification {
  const attempts = Math.max(1, alert.attempts);
  return {
    schema_version: 1,
    notification_id: attempt.outcome === 'sent' ? `${alert.idempotency_key}:sent` : `${alert.idempotency_key}:failed:${attempts}`,
    alert_id: alert.alert_id,
    customer_id: alert.customer_id,
    channel: alert.channel,
    form: alert.in_digest ? 'digest' : attempt.form,
    outcome: attempt.outcome,
    attempt: attempts,
    failure: attempt.outcome === 'sent' ? null : attempt.failure,
    parked: attempt.outcome === 'failed' && attempt.parked,
    occurred_at: attempt.at.toISOString(),
  };
}
