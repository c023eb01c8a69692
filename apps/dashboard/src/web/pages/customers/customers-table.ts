import { el } from '../../dom';
import type { AttributeValue, CustomerListItem } from '../../customers-api';
import { DASH, formatMoney, formatTime } from '../../format';
import { hrefOf } from '../../router';
import { sortOf, type CustomerFilter, type SortKey } from '../../../logic/customers/customer-filter';

/** Spec attributes shown in the table besides the filtered ones: the spec's first ones, as its author ordered them. */
const LEADING_ATTRIBUTES = 2;

interface Column {
  readonly label: string;
  readonly sort?: SortKey;
  readonly numeric?: boolean;
  readonly cell: (c: CustomerListItem) => Node | string;
}

/**
 * One page of customers. The sortable columns' headers are buttons (the sort is in the URL); at phone
 * width each row stacks into a card, every value under its column's name (CSS, from data-label).
 */
export function customersTable(
  customers: readonly CustomerListItem[],
  attributeNames: readonly string[],
  filter: CustomerFilter,
  sortBy: (key: SortKey) => void,
): HTMLElement {
  const columns: Column[] = [
    {
      label: 'Customer',
      cell: (c) => el('a', { href: hrefOf({ page: 'customer', customerId: c.customer_id }), 'data-testid': `customer-link-${c.customer_id}` }, c.customer_id),
    },
    { label: 'Risk score', sort: 'score', numeric: true, cell: riskCell },
    { label: 'Score change', sort: 'score_change', numeric: true, cell: (c) => changeCell(c.score_change) },
    {
      label: 'Revenue at risk',
      sort: 'revenue_at_risk',
      numeric: true,
      cell: (c) => el('span', { 'data-value': c.revenue_at_risk }, formatMoney(c.revenue_at_risk)),
    },
    {
      label: 'Alert',
      cell: (c) =>
        c.alert ? el('span', { class: `alert-state alert-${c.alert.state}` }, `${c.alert.state} (${c.alert.level})`) : el('span', { class: 'muted' }, 'none'),
    },
    { label: 'Arm', cell: (c) => c.experiment?.arm ?? DASH },
    { label: 'Scored', cell: (c) => (c.scored_at ? el('time', { datetime: c.scored_at }, formatTime(c.scored_at)) : DASH) },
    ...attributeNames.map((name): Column => ({ label: name, cell: (c) => attributeText(c.attributes[name]) })),
  ];
  const sort = sortOf(filter);
  return el(
    'div',
    { class: 'table-wrap customers-wrap', tabindex: 0, role: 'region', 'aria-label': 'Customers table' },
    el(
      'table',
      { class: 'customers', 'data-testid': 'customers-table' },
      el('caption', { class: 'visually-hidden' }, 'Customers matching the filter'),
      el('thead', {}, el('tr', {}, ...columns.map((column) => header(column, sort, sortBy)))),
      el(
        'tbody',
        {},
        ...customers.map((customer) =>
          el(
            'tr',
            { 'data-testid': `customer-row-${customer.customer_id}`, 'data-customer-id': customer.customer_id },
            ...columns.map((column, i) =>
              el(
                i === 0 ? 'th' : 'td',
                { scope: i === 0 ? 'row' : undefined, class: column.numeric ? 'num' : undefined, 'data-label': column.label },
                column.cell(customer),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

/** The attributes the table shows: the spec's first ones, then every filtered one. */
export function shownAttributes(specAttributes: readonly string[], filtered: readonly string[]): string[] {
  return [...new Set([...specAttributes.slice(0, LEADING_ATTRIBUTES), ...filtered.filter((name) => specAttributes.includes(name))])];
}

function header(column: Column, sort: { key: string; descending: boolean }, sortBy: (key: SortKey) => void): HTMLElement {
  if (!column.sort) return el('th', { scope: 'col' }, column.label);
  const key = column.sort;
  const active = sort.key === key;
  const button = el(
    'button',
    { type: 'button', class: 'sort-button', 'data-testid': `customers-sort-${key}` },
    column.label,
    el('span', { 'aria-hidden': 'true', class: 'sort-arrow' }, active ? (sort.descending ? ' ↓' : ' ↑') : ' ↕'),
  );
  button.addEventListener('click', () => sortBy(key));
  return el('th', { scope: 'col', class: 'num', 'aria-sort': active ? (sort.descending ? 'descending' : 'ascending') : undefined }, button);
}

function riskCell(c: CustomerListItem): HTMLElement {
  return el(
    'span',
    { class: 'risk' },
    el('span', { class: 'score', 'data-value': c.risk_score }, String(c.risk_score)),
    ' ',
    el('span', { class: `badge badge-${c.risk_level}` }, c.risk_level),
  );
}

/** The change since the previous score: an arrow and a sign, so it does not rest on colour alone. */
function changeCell(change: number | null): HTMLElement {
  if (change === null) return el('span', { class: 'muted', 'data-value': '', title: 'no earlier score' }, DASH);
  if (change === 0) return el('span', { 'data-value': 0 }, '0');
  const up = change > 0;
  return el(
    'span',
    { class: up ? 'change-up' : 'change-down', 'data-value': change },
    el('span', { 'aria-hidden': 'true' }, up ? '▲ ' : '▼ '),
    up ? `+${change}` : `−${Math.abs(change)}`,
  );
}

function attributeText(value: AttributeValue | undefined): string {
  return value === null || value === undefined || value === '' ? DASH : String(value);
}
