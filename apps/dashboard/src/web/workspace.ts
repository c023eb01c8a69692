import { byId } from './dom';
import { renderCustomerPage, type CustomerPageHooks } from './pages/customer/customer-page';
import { renderCustomersPage } from './pages/customers/customers-page';
import { renderQueuePage } from './pages/queue/queue-page';
import { renderExperimentsPage } from './pages/experiments-page';
import { renderModelsPage, type ModelsPageHooks } from './pages/models-page';
import { renderNotFoundPage } from './pages/not-found-page';
import { renderRoiPage } from './pages/roi-page';
import { hrefOf, parseRoute, type PageName, type Route } from './router';

const TITLES: Readonly<Record<PageName, string>> = {
  overview: 'Overview',
  queue: 'Queue',
  customers: 'Customers',
  customer: 'Customer',
  experiments: 'Experiments',
  roi: 'ROI',
  models: 'Models',
  'not-found': 'Page not found',
};

/**
 * The workspace shell: the navigation bar, and the page the URL's fragment names. The overview (the
 * monitoring dashboard) stays in the document and keeps refreshing; the other pages render into
 * #page-view. After a navigation, focus moves to the new page's heading, so keyboard and screen-reader
 * users start at the top of what changed.
 */
export class Workspace {
  private current: Route = parseRoute(location.hash);
  private renders = 0;

  constructor(private readonly hooks: ModelsPageHooks & CustomerPageHooks) {}

  start(): void {
    window.addEventListener('hashchange', () => void this.show(parseRoute(location.hash), true));
    // The skip link targets <main>; as a fragment it would read as a route.
    byId('skip-link').addEventListener('click', (event) => {
      event.preventDefault();
      byId('main').focus();
    });
    void this.show(this.current, false);
  }

  /** Renders the current page again (after signing in, the buttons it allows change). */
  refresh(): void {
    void this.show(this.current, false);
  }

  private async show(route: Route, moveFocus: boolean): Promise<void> {
    this.current = route;
    const render = ++this.renders;
    document.title = `Churn Radar · ${TITLES[route.page]}`;
    for (const link of document.querySelectorAll<HTMLAnchorElement>('.nav a[data-page]')) {
      if (link.dataset['page'] === route.page) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    const overview = byId('page-overview');
    const view = byId('page-view');
    overview.hidden = route.page !== 'overview';
    view.hidden = route.page === 'overview';
    document.body.dataset['page'] = route.page;
    if (route.page !== 'overview') await this.renderPage(route, view);
    if (render !== this.renders) return;
    document.body.dataset['rendered'] = String(render);
    if (moveFocus) (route.page === 'overview' ? byId('main') : (view.querySelector<HTMLElement>('.page-title') ?? byId('main'))).focus();
  }

  private async renderPage(route: Exclude<Route, { page: 'overview' }>, view: HTMLElement): Promise<void> {
    switch (route.page) {
      case 'queue':
        return renderQueuePage(view, route.params, (params) => (location.hash = hrefOf({ page: 'queue', params })));
      case 'customers':
        return renderCustomersPage(view, route.params, (params) => (location.hash = hrefOf({ page: 'customers', params })));
      case 'customer':
        return renderCustomerPage(view, route.customerId, this.hooks);
      case 'experiments':
        return renderExperimentsPage(view, route.name);
      case 'roi':
        return renderRoiPage(view, route.params, (params) => (location.hash = hrefOf({ page: 'roi', params })));
      case 'models':
        return renderModelsPage(view, this.hooks);
      case 'not-found':
        return renderNotFoundPage(view, route.path);
    }
  }
}
