import { el } from '../../dom';
import { formatInteger } from '../../format';
import { pageCount } from '../../../logic/queue/queue-filters';

/** "1–50 of 120 alerts", and the previous and next pages (each a URL, so Back returns). */
export function pager(page: number, pageSize: number, total: number, shown: number, goTo: (page: number) => void): HTMLElement {
  const pages = pageCount(total, pageSize);
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = shown === 0 ? first : first + shown - 1;
  const previous = el('button', { type: 'button', class: 'secondary-dark small', disabled: page <= 1, 'data-testid': 'queue-previous' }, 'Previous page');
  const next = el('button', { type: 'button', class: 'secondary-dark small', disabled: page >= pages, 'data-testid': 'queue-next' }, 'Next page');
  previous.addEventListener('click', () => goTo(page - 1));
  next.addEventListener('click', () => goTo(page + 1));
  return el(
    'nav',
    { class: 'queue-pager', 'aria-label': 'Pages of the queue' },
    el(
      'span',
      { 'data-testid': 'queue-total', 'data-value': total },
      `${formatInteger(first)}–${formatInteger(last)} of ${formatInteger(total)} alerts · page ${formatInteger(page)} of ${formatInteger(pages)}`,
    ),
    previous,
    next,
  );
}
