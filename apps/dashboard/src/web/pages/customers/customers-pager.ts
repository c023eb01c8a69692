import { el } from '../../dom';
import type { CustomerListPage } from '../../customers-api';
import { formatInteger } from '../../format';
import { pageCount, withPage, type CustomerFilter } from '../../../logic/customers/customer-filter';

/** How many customers match: "10,000+" when the API stopped counting. */
export function matchCount(result: CustomerListPage): HTMLElement {
  const more = result.total_is_lower_bound ? '+' : '';
  return el(
    'p',
    { class: 'match-count', 'data-testid': 'customers-total', 'data-value': result.total, 'data-lower-bound': String(result.total_is_lower_bound) },
    `${formatInteger(result.total)}${more} ${result.total === 1 && !more ? 'customer' : 'customers'}`,
  );
}

/** Links to the previous and the next page: links, so each page has its URL and Back returns to the one before. */
export function customersPager(result: CustomerListPage, filter: CustomerFilter, hrefFor: (filter: CustomerFilter) => string): HTMLElement {
  const pages = pageCount(result.total, result.page_size);
  const more = result.total_is_lower_bound ? '+' : '';
  const hasNext = result.page < pages || (result.total_is_lower_bound && result.customers.length === result.page_size);
  const link = (label: string, testid: string, page: number, enabled: boolean) =>
    enabled
      ? el('a', { href: hrefFor(withPage(filter, page)), class: 'pager-link', 'data-testid': testid, rel: testid.endsWith('prev') ? 'prev' : 'next' }, label)
      : el('span', { class: 'pager-link', 'aria-disabled': 'true', 'data-testid': testid }, label);
  return el(
    'nav',
    { class: 'pager', 'aria-label': 'Pages of customers' },
    link('← Previous', 'customers-prev', result.page - 1, result.page > 1),
    el('span', { 'data-testid': 'customers-page-label' }, `Page ${formatInteger(result.page)} of ${formatInteger(pages)}${more}`),
    link('Next →', 'customers-next', result.page + 1, hasNext),
  );
}
