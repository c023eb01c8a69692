import { el } from '../../dom';

/** The customer list (being built: its title only). */
export function renderCustomersPage(container: HTMLElement, _params: URLSearchParams, _navigate: (params: URLSearchParams) => void): void {
  container.replaceChildren(el('h2', { class: 'page-title', tabindex: -1 }, 'Customers'));
}
