import { el } from '../../dom';

/** A customer's page (being built: its title only). */
export function renderCustomerPage(container: HTMLElement, customerId: string): void {
  container.replaceChildren(el('h2', { class: 'page-title', tabindex: -1 }, `Customer ${customerId}`));
}
