import './customer-page.css';
import { ApiError } from '../../api';
import { forgetToken, storedCredentials } from '../../credentials';
import { fetchCustomer, RequestRefused, type CustomerDetail } from '../../customer-api';
import { el } from '../../dom';
import { keepSlaCountdownsTicking, stopSlaCountdowns } from '../../live-sla-countdown';
import { describeError, errorState, loadingState } from '../../page-states';
import { signsInWithProvider } from '../../session';
import { customerSearchForm } from '../customer-search-form';
import { alertActions } from './alert-actions';
import type { CustomerActionContext } from './customer-actions';
import { customerHeader } from './customer-header';
import { customerTimeline } from './customer-timeline';
import { driversWaterfall } from './drivers-waterfall';
import { featurePopulation } from './feature-population';
import { clearProblems, showProblems } from './form-fields';
import { interventionForm } from './intervention-form';
import { outcomeForm } from './outcome-form';
import { scoreHistoryChart } from './score-history-chart';

export interface CustomerPageHooks {
  /** Opens the sign-in (the token dialog, or the OpenID provider); resolves true when the person signed in. */
  readonly signIn: (reason: string) => Promise<boolean>;
}

const SIGN_IN_REASON = 'A customer’s page names the customer: it needs your name and an API token with the agent role.';
/** How long an action waits for its entry to reach the timeline (through Kafka) before showing the page as it is. */
const APPEAR_ATTEMPTS = 20;
const APPEAR_INTERVAL_MS = 500;

/**
 * A customer's page, the retention agent's customer 360: the current risk and what to do about it,
 * the score's history and drivers, the features beside the population's, the timeline, and the
 * actions (the open alert, an intervention, an outcome) in place. An unknown id is a 404 that offers
 * the customer search.
 */
export async function renderCustomerPage(container: HTMLElement, customerId: string, hooks: CustomerPageHooks): Promise<void> {
  stopSlaCountdowns();
  const title = el('h2', { class: 'page-title', tabindex: -1 }, `Customer ${customerId}`);
  const message = el('div', { class: 'customer-message', role: 'status', 'aria-live': 'polite', tabindex: -1, 'data-testid': 'customer-message' });
  const body = el('div', { class: 'customer-body' }, loadingState(`customer ${customerId}`));
  container.replaceChildren(title, message, body);
  const reload = () => void renderCustomerPage(container, customerId, hooks);
  const credentials = storedCredentials();
  if (!credentials) {
    body.replaceChildren(signInState('A customer’s page names the customer: sign in with a token that has the agent role.', hooks, reload));
    return;
  }
  let detail: CustomerDetail;
  try {
    detail = await fetchCustomer(customerId, credentials.token);
  } catch (error) {
    showLoadFailure(error, customerId, { container, title, body, hooks, reload });
    return;
  }
  const page = new CustomerView(customerId, body, message, hooks);
  page.show(detail);
  // One clock for the body, whatever it shows: an action redraws the body in place and the clock ticks the new countdowns.
  keepSlaCountdownsTicking(body);
}

interface PageParts {
  readonly container: HTMLElement;
  readonly title: HTMLElement;
  readonly body: HTMLElement;
  readonly hooks: CustomerPageHooks;
  readonly reload: () => void;
}

function showLoadFailure(error: unknown, customerId: string, parts: PageParts): void {
  const status = error instanceof ApiError ? error.status : 0;
  if (status === 404) {
    parts.title.textContent = `No customer ${customerId}`;
    parts.title.dataset['testid'] = 'customer-not-found';
    parts.body.replaceChildren(
      el('p', {}, 'Monitoring has no prediction, feature vector or alert for ', el('code', {}, customerId), '. Check the id, or search:'),
      customerSearchForm('customer-not-found', customerId),
    );
    return;
  }
  if (status === 401) {
    forgetToken(401);
    parts.body.replaceChildren(
      signInState(
        signsInWithProvider() ? 'Your session has ended: sign in again.' : 'The token was refused (missing, expired or forged): sign in again.',
        parts.hooks,
        parts.reload,
      ),
    );
    return;
  }
  if (status === 403) {
    parts.body.replaceChildren(
      el(
        'div',
        { class: 'state state-error', role: 'alert', 'data-testid': 'customer-refused' },
        el('p', {}, 'Refused: a customer’s page needs the agent or admin role, which your token does not have. Sign in with another token.'),
        signInButton(parts.hooks, parts.reload),
      ),
    );
    return;
  }
  parts.body.replaceChildren(errorState(`customer ${customerId}`, error, parts.reload));
}

function signInButton(hooks: CustomerPageHooks, reload: () => void): HTMLButtonElement {
  const button = el('button', { type: 'button', 'data-testid': 'customer-sign-in' }, 'Sign in');
  button.addEventListener('click', () => void hooks.signIn(SIGN_IN_REASON).then((ok) => ok && reload()));
  return button;
}

function signInState(why: string, hooks: CustomerPageHooks, reload: () => void): HTMLElement {
  return el('div', { class: 'state', 'data-testid': 'customer-locked' }, el('p', {}, why), signInButton(hooks, reload));
}

/** The loaded page: renders a detail, and runs the actions against it. */
class CustomerView {
  constructor(
    private readonly customerId: string,
    private readonly body: HTMLElement,
    private readonly message: HTMLElement,
    private readonly hooks: CustomerPageHooks,
  ) {}

  show(detail: CustomerDetail): void {
    const context: CustomerActionContext = { detail, run: (action) => this.run(action) };
    const history = scoreHistoryChart(detail.score_history);
    const drivers = driversWaterfall(detail.drivers, detail.customer.churn_probability);
    const previousFilter = this.body.querySelector<HTMLSelectElement>('#timeline-filter')?.value as Parameters<typeof customerTimeline>[1] | undefined;
    this.body.replaceChildren(
      customerHeader(detail),
      el('div', { class: 'customer-grid' }, history.section, drivers.section),
      el(
        'div',
        { class: 'customer-grid customer-grid-actions', 'aria-label': 'Actions' },
        alertActions(context),
        interventionForm(context),
        outcomeForm(context),
      ),
      customerTimeline(detail.timeline, previousFilter),
      featurePopulation(detail),
    );
    history.draw();
    drivers.draw();
  }

  private say(text: string, kind: 'ok' | 'error'): void {
    this.message.className = `customer-message customer-message-${kind}`;
    this.message.textContent = text;
  }

  private async run(action: Parameters<CustomerActionContext['run']>[0]): Promise<void> {
    const credentials = storedCredentials() ?? ((await this.hooks.signIn(SIGN_IN_REASON)) ? storedCredentials() : null);
    if (!credentials) return;
    clearProblems(action.form);
    const buttons = [...action.form.querySelectorAll('button')];
    for (const button of buttons) button.disabled = true;
    try {
      await action.call(credentials);
    } catch (error) {
      for (const button of buttons) button.disabled = false;
      this.refused(error, action.form);
      return;
    }
    this.say(`${action.done} by ${credentials.name}; updating the page…`, 'ok');
    const detail = await this.waitFor(action.appeared, credentials.token);
    if (!detail) {
      this.say(`${action.done} by ${credentials.name}, but the page could not be reloaded: use Try again or reload the page.`, 'error');
      return;
    }
    this.show(detail);
    this.say(
      action.appeared(detail)
        ? `${action.done} by ${credentials.name}: it is on the timeline.`
        : `${action.done} by ${credentials.name}; it is not on the timeline yet (monitoring reads it from Kafka): reload in a moment.`,
      'ok',
    );
    this.message.focus();
  }

  /** Reloads the detail until `appeared` holds of it, a bounded number of times; the last detail either way. */
  private async waitFor(appeared: (detail: CustomerDetail) => boolean, token: string): Promise<CustomerDetail | null> {
    let detail: CustomerDetail | null = null;
    for (let attempt = 0; attempt < APPEAR_ATTEMPTS; attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, APPEAR_INTERVAL_MS));
      try {
        detail = await fetchCustomer(this.customerId, token);
      } catch {
        continue;
      }
      if (appeared(detail)) return detail;
    }
    return detail;
  }

  private refused(error: unknown, form: HTMLFormElement): void {
    if (error instanceof RequestRefused) {
      const unplaced = showProblems(form, error.fields);
      this.say(`Not saved: ${unplaced.length > 0 ? unplaced.map((p) => `${p.field}: ${p.message}`).join('; ') : 'see the field marked below'}.`, 'error');
      return;
    }
    const status = error instanceof ApiError ? error.status : 0;
    if (status === 401) {
      forgetToken(401);
      this.say(
        signsInWithProvider() ? 'Your session has ended: sign in again.' : 'The token was refused (missing, expired or forged): sign in again, then repeat.',
        'error',
      );
      if (!signsInWithProvider()) void this.hooks.signIn(SIGN_IN_REASON);
      return;
    }
    if (status === 403) return this.say('Refused: this needs the agent or admin role, which your token does not have.', 'error');
    if (status === 409) return this.say(`Not done: the alert changed meanwhile (${describeError(error)}). Reload the page to see its state.`, 'error');
    this.say(`Not saved: ${describeError(error)}.`, 'error');
  }
}
