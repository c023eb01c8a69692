import type { CustomerDetail } from '../../customer-api';
import { el } from '../../dom';
import { formatTime } from '../../format';
import { slaCountdownElement } from '../../live-sla-countdown';

type CustomerAlert = NonNullable<CustomerDetail['customer']['alert']>;

/**
 * ` · SLA due in 3 h (deadline)` of an open alert, the countdown kept current by the page's clock;
 * nothing for a resolved alert or one without a deadline.
 */
export function alertSla(alert: CustomerAlert, now: number, testid: string): HTMLElement | string {
  if (alert.state === 'resolved' || !alert.due_at) return '';
  return el(
    'span',
    { class: 'muted', 'data-testid': testid },
    ' · SLA ',
    slaCountdownElement('span', { dueAt: alert.due_at, status: alert.state }, now),
    ` (${formatTime(alert.due_at)})`,
  );
}
