import { el } from '../../dom';
import { formatTime } from '../../format';
import type { QueueAlert } from '../../queue-api';
import { slaCell, tickSla } from './queue-sla';

export interface RowHandlers {
  readonly isSelected: (alertId: string) => boolean;
  readonly onSelect: (alertId: string, selected: boolean) => void;
  readonly onAssignToMe: (alert: QueueAlert) => void;
  readonly onAssign: (alert: QueueAlert) => void;
  readonly onAcknowledge: (alert: QueueAlert) => void;
  readonly onResolve: (alert: QueueAlert) => void;
  /** Shows or hides the alert's history in `panel`. */
  readonly onHistory: (alert: QueueAlert, toggle: HTMLButtonElement, panel: HTMLElement) => void;
}

export const QUEUE_COLUMNS = ['Customer', 'Level', 'Score', 'Alert', 'Owner', 'State', 'SLA', 'Created', 'Actions'] as const;

const REASONS: Readonly<Record<string, string>> = { level: 'risk level', score_jump: 'score jump' };

/**
 * One alert of the queue: a table row (a card on a phone, each cell labelled by `data-label`), and a
 * second row under it holding its history when opened.
 */
export function queueRows(alert: QueueAlert, now: number, handlers: RowHandlers): HTMLTableRowElement[] {
  const id = alert.alert_id;
  const check = el('input', {
    type: 'checkbox',
    id: `queue-select-${id}`,
    'data-testid': `queue-select-${id}`,
    'aria-label': `Select the alert for ${alert.customer_id}`,
    checked: handlers.isSelected(id),
  });
  check.addEventListener('change', () => handlers.onSelect(id, check.checked));
  const historyId = `queue-history-${id}`;
  const history = el('div', { id: historyId, class: 'queue-history', 'data-testid': historyId, hidden: true });
  const historyRow = el('tr', { class: 'queue-history-row', hidden: true }, el('td', { colspan: QUEUE_COLUMNS.length + 1 }, history));
  const toggle = button('History', `queue-history-toggle-${id}`, () => handlers.onHistory(alert, toggle, history), alert.customer_id, {
    'aria-expanded': 'false',
    'aria-controls': historyId,
  });
  toggle.addEventListener('click', () => (historyRow.hidden = history.hidden));

  const row = el(
    'tr',
    { class: 'queue-row', 'data-testid': `queue-row-${id}`, 'data-alert-id': id, 'data-status': alert.status },
    el('td', { class: 'queue-select' }, check),
    el(
      'th',
      { scope: 'row', 'data-label': 'Customer' },
      el('a', { href: `#/customers/${encodeURIComponent(alert.customer_id)}`, 'data-testid': `queue-customer-${alert.customer_id}` }, alert.customer_id),
    ),
    el('td', { 'data-label': 'Level' }, el('span', { class: `badge badge-${alert.level}` }, alert.level)),
    el('td', { class: 'num', 'data-label': 'Score', 'data-testid': `queue-score-${id}` }, String(alert.risk_score)),
    el(
      'td',
      { class: 'queue-message', 'data-label': 'Alert' },
      el('span', {}, alert.message, el('span', { class: 'muted queue-reason' }, ` · ${REASONS[alert.reason] ?? alert.reason}`)),
    ),
    el('td', { 'data-label': 'Owner', 'data-testid': `queue-owner-${id}` }, alert.assignee ?? el('span', { class: 'muted' }, 'unassigned')),
    el('td', { 'data-label': 'State', 'data-testid': `queue-state-${id}` }, el('span', { class: `badge badge-state-${alert.status}` }, alert.status)),
    slaCell(alert, now),
    el('td', { 'data-label': 'Created' }, formatTime(alert.created_at)),
    el('td', { 'data-label': 'Actions' }, el('div', { class: 'queue-actions' }, ...actions(alert, handlers), toggle)),
  );
  tickSla(row, now);
  return [row, historyRow];
}

function actions(alert: QueueAlert, handlers: RowHandlers): HTMLButtonElement[] {
  const id = alert.alert_id;
  if (alert.status === 'resolved') return [];
  const buttons = [
    button('Assign to me', `queue-assign-me-${id}`, () => handlers.onAssignToMe(alert), alert.customer_id),
    button('Assign…', `queue-assign-${id}`, () => handlers.onAssign(alert), alert.customer_id),
  ];
  if (alert.status === 'pending') buttons.push(button('Acknowledge…', `queue-ack-${id}`, () => handlers.onAcknowledge(alert), alert.customer_id));
  buttons.push(button('Resolve…', `queue-resolve-${id}`, () => handlers.onResolve(alert), alert.customer_id));
  return buttons;
}

/** Every row has the same buttons: a hidden "for <customer>" tells a screen reader's list of buttons apart. */
function button(label: string, testid: string, onClick: () => void, customerId: string, attributes: Record<string, string> = {}): HTMLButtonElement {
  const node = el(
    'button',
    { type: 'button', class: 'secondary-dark small', 'data-testid': testid, ...attributes },
    label,
    el('span', { class: 'visually-hidden' }, ` for ${customerId}`),
  );
  node.addEventListener('click', onClick);
  return node;
}
