import { el } from '../dom';
import { customerSearchForm } from './customer-search-form';

/** A route the workspace does not have: say so, offer the pages it does and a search of the customers. */
export function renderNotFoundPage(container: HTMLElement, path: string): void {
  container.replaceChildren(
    el('h2', { class: 'page-title', tabindex: -1, 'data-testid': 'not-found' }, 'Page not found'),
    el('p', {}, 'There is no page at ', el('code', {}, path), '.'),
    el(
      'p',
      {},
      'Go to the ',
      el('a', { href: '#/' }, 'overview'),
      ', the ',
      el('a', { href: '#/experiments' }, 'experiments'),
      ', the ',
      el('a', { href: '#/roi' }, 'ROI'),
      ' or the ',
      el('a', { href: '#/models' }, 'models'),
      ', or look for a customer:',
    ),
    customerSearchForm('not-found-search'),
  );
}
