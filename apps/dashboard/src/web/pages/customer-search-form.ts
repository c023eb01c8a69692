import { el } from '../dom';
import { hrefOf } from '../router';

/**
 * A search of the customer list (an id prefix or a text attribute), leading to `#/customers?q=…`:
 * what a 404 offers, since a mistyped or partial id is the usual way to land on one.
 */
export function customerSearchForm(idPrefix: string, initial = ''): HTMLFormElement {
  const input = el('input', {
    id: `${idPrefix}-q`,
    name: 'q',
    type: 'search',
    value: initial,
    required: true,
    autocomplete: 'off',
    'data-testid': 'customer-search-q',
  });
  const form = el(
    'form',
    { class: 'customer-search', role: 'search', 'aria-label': 'Search the customers', 'data-testid': 'customer-search' },
    el('label', { for: input.id }, 'Search the customers (an id or part of one, or an attribute’s value)'),
    el('div', { class: 'customer-search-row' }, input, el('button', { type: 'submit', 'data-testid': 'customer-search-go' }, 'Search')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = input.value.trim();
    if (q) location.hash = hrefOf({ page: 'customers', params: new URLSearchParams({ q }) });
  });
  return form;
}
