import { el } from '../../dom';
import type { BulkAction } from '../../queue-api';

export interface BulkBar {
  readonly node: HTMLElement;
  /** Shows how many alerts are selected; the buttons work from one. */
  update(selected: number): void;
}

/** Acting on the selected alerts at once (one note for all): acknowledge or resolve, or drop the selection. */
export function bulkBar(onAct: (action: BulkAction) => void, onClear: () => void): BulkBar {
  const count = el('span', { class: 'queue-bulk-count', 'data-testid': 'queue-selected-count' });
  const ack = el('button', { type: 'button', class: 'small', 'data-testid': 'queue-bulk-acknowledge' }, 'Acknowledge selected…');
  const resolve = el('button', { type: 'button', class: 'small', 'data-testid': 'queue-bulk-resolve' }, 'Resolve selected…');
  const clear = el('button', { type: 'button', class: 'secondary-dark small', 'data-testid': 'queue-bulk-clear' }, 'Clear selection');
  ack.addEventListener('click', () => onAct('acknowledge'));
  resolve.addEventListener('click', () => onAct('resolve'));
  clear.addEventListener('click', onClear);
  const node = el('div', { class: 'queue-bulk', role: 'group', 'aria-label': 'Selected alerts', 'data-testid': 'queue-bulk' }, count, ack, resolve, clear);
  return {
    node,
    update(selected) {
      count.textContent = selected === 1 ? '1 alert selected' : `${selected} alerts selected`;
      for (const button of [ack, resolve, clear]) button.disabled = selected === 0;
    },
  };
}
