import { ApiError } from '../../api';
import { askForCredentials, forgetToken, storedCredentials, type Credentials } from '../../credentials';
import {
  fetchCustomerFilterOptions,
  fetchCustomerList,
  InvalidFilterError,
  type CustomerFilterOptions,
  type CustomerListPage,
  type FieldProblem,
} from '../../customers-api';
import { el } from '../../dom';
import { emptyState, errorState, loadingState } from '../../page-states';
import { hrefOf } from '../../router';
import {
  clearedFilter,
  exportQuery,
  filterFromParams,
  isFiltered,
  listQuery,
  paramsOfFilter,
  withSortBy,
  type CustomerFilter,
} from '../../../logic/customers/customer-filter';
import { customersPager, matchCount } from './customers-pager';
import { exportControl } from './customers-export';
import { customersTable, shownAttributes } from './customers-table';
import { filterForm, showProblems } from './filter-form';

/** Renders of this page; an answer for an older one (the filter changed meanwhile) is dropped. */
let renders = 0;

/**
 * The retention team's customer list: search, filters (risk level, score, alert state, arm, any
 * attribute of the active feature spec), sort and server-side pages, all in the URL; CSV of the whole
 * filter. It names customers, so it needs a token or session with the agent or admin role.
 */
export async function renderCustomersPage(container: HTMLElement, params: URLSearchParams, navigate: (params: URLSearchParams) => void): Promise<void> {
  const render = ++renders;
  const filter = filterFromParams(params);
  const body = el('div', { class: 'customers-layout' }, loadingState('the customers'));
  container.replaceChildren(
    el('h2', { class: 'page-title', tabindex: -1 }, 'Customers'),
    el(
      'p',
      { class: 'intro' },
      'Every scored customer at their newest score: the change since the score before, the revenue at risk, their alert and experiment arm, and the attributes of their newest feature vector.',
    ),
    body,
  );
  const again = () => void renderCustomersPage(container, params, navigate);
  const credentials = storedCredentials();
  if (!credentials) {
    body.replaceChildren(signedOut('The customer list names customers: sign in with an API token with the agent role.', again));
    return;
  }
  let options: CustomerFilterOptions;
  let result: CustomerListPage | InvalidFilterError;
  try {
    [options, result] = await Promise.all([
      fetchCustomerFilterOptions(credentials.token),
      fetchCustomerList(listQuery(filter), credentials.token).catch(keepInvalidFilter),
    ]);
  } catch (error) {
    if (render !== renders) return;
    body.replaceChildren(refused(error, credentials, again) ?? errorState('the customers', error, again));
    return;
  }
  if (render !== renders) return;
  const go = (next: CustomerFilter) => navigate(paramsOfFilter(next));
  const form = filterForm(filter, options, go);
  const results = el('section', { class: 'customers-results', 'aria-label': 'Customers', 'data-testid': 'customers-results' });
  body.replaceChildren(form, results);
  if (result instanceof InvalidFilterError) {
    const elsewhere = showProblems(form, result.fields);
    results.replaceChildren(invalidFilter(result.fields, elsewhere, () => go(clearedFilter(filter))));
    return;
  }
  if (result.customers.length === 0) {
    results.replaceChildren(result.total > 0 ? pastTheEnd(result, filter) : noCustomers(filter, go));
    return;
  }
  const specAttributes = options.attributes.map((a) => a.name);
  results.replaceChildren(
    el('div', { class: 'results-bar' }, matchCount(result), exportControl(exportQuery(filter), credentials.token)),
    customersTable(
      result.customers,
      shownAttributes(
        specAttributes,
        filter.attributes.map((a) => a.name),
      ),
      filter,
      (key) => go(withSortBy(filter, key)),
    ),
    customersPager(result, filter, (f) => hrefOf({ page: 'customers', params: paramsOfFilter(f) })),
  );
}

/** A 400 is an answer about the filter, shown with the form; every other failure is the page's. */
function keepInvalidFilter(error: unknown): InvalidFilterError {
  if (error instanceof InvalidFilterError) return error;
  throw error;
}

function signedOut(reason: string, afterSignIn: () => void): HTMLElement {
  const button = el('button', { type: 'button', 'data-testid': 'customers-sign-in' }, 'Sign in');
  button.addEventListener('click', () => {
    void askForCredentials(reason).then((saved) => {
      if (saved) afterSignIn();
    });
  });
  return el('div', { class: 'state', 'data-testid': 'customers-signed-out' }, el('p', {}, reason), button);
}

/** 401: the token is forgotten (an ended session goes to sign-in); 403: the token is kept, another may be entered. */
function refused(error: unknown, credentials: Credentials, again: () => void): HTMLElement | undefined {
  if (!(error instanceof ApiError) || (error.status !== 401 && error.status !== 403)) return undefined;
  forgetToken(error.status);
  return signedOut(
    error.status === 401
      ? 'Your token was refused (missing, expired or forged): sign in again.'
      : `The customer list needs the agent or admin role, which ${credentials.name}’s token does not have.`,
    again,
  );
}

function invalidFilter(problems: readonly FieldProblem[], elsewhere: readonly FieldProblem[], clear: () => void): HTMLElement {
  const button = el('button', { type: 'button', class: 'secondary-dark', 'data-testid': 'customers-invalid-clear' }, 'Clear filters');
  button.addEventListener('click', clear);
  return el(
    'div',
    { class: 'state state-error', role: 'alert', 'data-testid': 'customers-invalid' },
    el('p', {}, `The filter was refused: ${problems.map((p) => p.field).join(', ')}${elsewhere.length < problems.length ? ' (see the marked filters)' : ''}.`),
    ...(elsewhere.length > 0
      ? [el('ul', {}, ...elsewhere.map((p) => el('li', { 'data-testid': `customers-field-error-${p.field}` }, `${p.field}: ${p.message}`)))]
      : []),
    button,
  );
}

/** A page beyond the last (an old link, or customers gone since): a way back to the first. */
function pastTheEnd(result: CustomerListPage, filter: CustomerFilter): HTMLElement {
  return emptyState(
    `Page ${result.page} is past the end of this list.`,
    el(
      'a',
      { href: hrefOf({ page: 'customers', params: paramsOfFilter({ ...filter, page: '1' }) }), 'data-testid': 'customers-first-page' },
      'Go to the first page',
    ),
  );
}

function noCustomers(filter: CustomerFilter, go: (filter: CustomerFilter) => void): HTMLElement {
  if (!isFiltered(filter)) return emptyState('No customer has been scored yet: customers appear here with their first prediction.');
  const button = el('button', { type: 'button', class: 'secondary-dark', 'data-testid': 'customers-empty-clear' }, 'Clear filters');
  button.addEventListener('click', () => go(clearedFilter(filter)));
  return emptyState('No customer matches this filter.', button);
}
