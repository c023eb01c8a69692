import { el } from '../../dom';
import { formatTime } from '../../format';
import { slaCountdown } from '../../../logic/alerts/sla-countdown';
import type { QueueAlert } from '../../queue-api';

/**
 * The SLA cell of a row: the countdown to the deadline, and past it a warning sign and the word
 * "Overdue" besides the colour, so it reads the same without colour. The deadline itself is in the
 * title, in the viewer's zone.
 */
export function slaCell(alert: QueueAlert, now: number): HTMLTableCellElement {
  const cell = el('td', {
    class: 'queue-sla',
    'data-label': 'SLA',
    'data-due': alert.due_at,
    'data-status': alert.status,
    'data-testid': `queue-sla-${alert.alert_id}`,
    title: `Deadline ${formatTime(alert.due_at)}`,
  });
  paint(cell, now);
  return cell;
}

/** Moves every countdown under `root` to `now` and marks the rows that became overdue; no request. */
export function tickSla(root: ParentNode, now: number): void {
  for (const cell of root.querySelectorAll<HTMLElement>('td[data-due]')) paint(cell, now);
}

function paint(cell: HTMLElement, now: number): void {
  const countdown = slaCountdown(cell.dataset['due'] ?? '', cell.dataset['status'] ?? '', now);
  const row = cell.closest('tr');
  if (row) {
    row.dataset['overdue'] = String(countdown.overdue);
    row.classList.toggle('queue-overdue', countdown.overdue);
  }
  if (cell.dataset['shown'] === countdown.text) return;
  cell.dataset['shown'] = countdown.text;
  cell.replaceChildren(
    ...(countdown.overdue ? [el('span', { class: 'overdue-flag' }, el('span', { 'aria-hidden': 'true' }, '⚠ '), 'Overdue'), ' '] : []),
    el('span', { class: 'sla-text' }, countdown.text),
  );
}
