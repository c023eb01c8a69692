import { el } from '../../dom';

/** The work queue (being built: its title only). */
export function renderQueuePage(container: HTMLElement, _params: URLSearchParams, _navigate: (params: URLSearchParams) => void): void {
  container.replaceChildren(el('h2', { class: 'page-title', tabindex: -1 }, 'Queue'));
}
