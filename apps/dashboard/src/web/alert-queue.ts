import type { PendingAlert } from './api';
import { byId, el } from './dom';
import { formatAge, formatInteger } from './format';

/** The pending alerts (most severe first), each with an acknowledge button. */
export function renderAlertQueue(
  alerts: readonly PendingAlert[],
  total: number,
  onAcknowledge: (alert: PendingAlert, button: HTMLButtonElement) => void,
): void {
  byId('alerts-count').textContent = total > alerts.length ? `showing ${alerts.length} of ${formatInteger(total)} pending` : `${formatInteger(total)} pending`;
  const body = byId('alerts-body');
  if (alerts.length === 0) {
    body.replaceChildren(el('tr', {}, el('td', { colspan: 6, class: 'empty' }, 'No pending alerts. 🎉')));
    return;
  }
  body.replaceChildren(
    ...alerts.map((alert) => {
      const button = el('button', { type: 'button', class: 'ack', 'data-testid': `ack-${alert.alert_id}` }, 'Acknowledge');
      button.addEventListener('click', () => onAcknowledge(alert, button));
      return el(
        'tr',
        { 'data-testid': `alert-row-${alert.alert_id}`, 'data-alert-id': alert.alert_id },
        el('td', {}, el('span', { class: `badge badge-${alert.level}` }, alert.level)),
        el('td', {}, el('code', {}, alert.customer_id)),
        el('td', { class: 'num' }, String(alert.risk_score)),
        el('td', { class: 'message', title: alert.message }, alert.message),
        el('td', { class: 'nowrap muted', title: alert.created_at }, formatAge(alert.created_at)),
        el('td', {}, button),
      );
    }),
  );
}

/** Without a usable token the queue shows only how many alerts are pending, and a way to sign in. */
export function renderQueueLocked(total: number, reason: string, onSignIn: () => void): void {
  byId('alerts-count').textContent = `${formatInteger(total)} pending`;
  const button = el('button', { type: 'button', class: 'secondary', 'data-testid': 'queue-sign-in' }, 'Sign in');
  button.addEventListener('click', onSignIn);
  byId('alerts-body').replaceChildren(el('tr', {}, el('td', { colspan: 6, class: 'empty', 'data-testid': 'queue-locked' }, `${reason} `, button)));
}
