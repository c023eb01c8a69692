import type { AlertDetail } from './api';
import { byId, el } from './dom';
import { formatMoney, formatTime } from './format';

/** The alert a Slack message or e-mail linked to (`/alerts/<id>` → `/?alert=<id>`), shown above everything else. */
export function renderLinkedAlert(alert: AlertDetail, onAcknowledge: (button: HTMLButtonElement) => void): void {
  const panel = byId('linked-alert');
  panel.hidden = false;
  panel.dataset['alertId'] = alert.alert_id;
  panel.dataset['status'] = alert.status;
  const status = byId('linked-alert-status');
  status.textContent = alert.status;
  status.className = `badge ${alert.status === 'pending' ? 'badge-high' : 'badge-ok'}`;
  const facts: [string, string][] = [
    ['Customer', alert.customer_id],
    ['Level', alert.level],
    ['Risk score', `${alert.risk_score}/100`],
    ['Revenue at risk', formatMoney(alert.details.revenue_at_risk)],
    ['Recommended', alert.details.recommended_action ?? '—'],
    ['Raised', formatTime(alert.created_at)],
  ];
  if (alert.acknowledged_by) facts.push(['Acknowledged', `${alert.acknowledged_by}, ${formatTime(alert.acknowledged_at ?? '')}`]);
  if (alert.resolution === 'churned') facts.push(['Resolved', `the customer cancelled, ${formatTime(alert.resolved_at ?? '')}`]);
  else if (alert.resolved_by) facts.push(['Resolved', `${alert.resolved_by}, ${formatTime(alert.resolved_at ?? '')}`]);
  const children: Node[] = [
    el('p', { class: 'linked-message' }, alert.message),
    el('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
  ];
  if (alert.status === 'pending') {
    const button = el('button', { type: 'button', class: 'ack', 'data-testid': 'linked-alert-ack' }, 'Acknowledge');
    button.addEventListener('click', () => onAcknowledge(button));
    children.push(el('div', { class: 'linked-actions' }, button));
  }
  byId('linked-alert-body').replaceChildren(...children);
}

export function renderLinkedAlertError(alertId: string, message: string): void {
  const panel = byId('linked-alert');
  panel.hidden = false;
  byId('linked-alert-status').textContent = '';
  byId('linked-alert-body').replaceChildren(el('p', { class: 'muted' }, `Alert ${alertId}: ${message}`));
}
