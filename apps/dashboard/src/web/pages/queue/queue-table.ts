import { el } from '../../dom';
import type { QueueAlert } from '../../queue-api';
import { QUEUE_COLUMNS, queueRows, type RowHandlers } from './queue-row';

/** The page of alerts as a table, with a box that selects (or clears) every alert on the page. */
export function queueTable(alerts: readonly QueueAlert[], now: number, handlers: RowHandlers): HTMLElement {
  const all = el('input', { type: 'checkbox', id: 'queue-select-all', 'data-testid': 'queue-select-all', 'aria-label': 'Select every alert on this page' });
  const body = el('tbody', {}, ...alerts.flatMap((alert) => queueRows(alert, now, { ...handlers, onSelect: (id, on) => (handlers.onSelect(id, on), sync()) })));
  const boxes = () =>
    alerts.map((alert) => [alert.alert_id, body.querySelector<HTMLInputElement>(`#${CSS.escape(`queue-select-${alert.alert_id}`)}`)!] as const);
  const sync = () => {
    const checked = boxes().filter(([, box]) => box.checked).length;
    all.checked = checked > 0 && checked === alerts.length;
    all.indeterminate = checked > 0 && checked < alerts.length;
  };
  all.addEventListener('change', () => {
    for (const [id, box] of boxes()) {
      box.checked = all.checked;
      handlers.onSelect(id, all.checked);
    }
    sync();
  });
  sync();
  return el(
    'div',
    { class: 'table-wrap queue-table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Alerts in the queue' },
    el(
      'table',
      { class: 'queue-table', 'data-testid': 'queue-table' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', { scope: 'col', class: 'queue-select' }, all),
          ...QUEUE_COLUMNS.map((name) => el('th', { scope: 'col', class: name === 'Score' ? 'num' : undefined }, name)),
        ),
      ),
      body,
    ),
  );
}
