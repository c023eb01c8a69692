import { formatTime } from '../../format';
import { slaCountdownElement, tickSlaCountdowns } from '../../live-sla-countdown';
import type { QueueAlert } from '../../queue-api';

/** The SLA cell of a row: the live countdown to the deadline, which is in the title, in the viewer's zone. */
export function slaCell(alert: QueueAlert, now: number): HTMLTableCellElement {
  return slaCountdownElement('td', { dueAt: alert.due_at, status: alert.status }, now, {
    class: 'queue-sla',
    'data-label': 'SLA',
    'data-testid': `queue-sla-${alert.alert_id}`,
    title: `Deadline ${formatTime(alert.due_at)}`,
  });
}

/** Moves every countdown under `root` to `now` and marks the rows that became overdue, which the queue tints as a whole; no request. */
export function tickSla(root: HTMLElement, now: number): void {
  tickSlaCountdowns(root, now);
  for (const cell of root.querySelectorAll<HTMLElement>('td[data-due]')) {
    const row = cell.closest('tr');
    if (!row) continue;
    row.dataset['overdue'] = cell.dataset['overdue'];
    row.classList.toggle('queue-overdue', cell.dataset['overdue'] === 'true');
  }
}
