/** Monitoring's customer API as the workspace reads it (HTTP only); the answers' shapes are @churn/contracts'. */
import type { CustomerFilterOptions, CustomerListPage } from '@churn/contracts';
import { ApiError, apiErrorOf, bearerHeader, type FieldProblem } from './api';
import { goToSignIn, signsInWithProvider } from './session';

export type { FieldProblem } from './api';

// ── The customer list (`GET /v1/customers`, `GET /v1/customers/filters`) ──

export type { AttributeValue, CustomerFilterOptions, CustomerListItem, CustomerListPage, FilterableAttribute } from '@churn/contracts';

/** A 400 VALIDATION_FAILED: its `errors` name every offending query parameter. */
export class InvalidFilterError extends ApiError {
  constructor(message: string, fields: readonly FieldProblem[]) {
    super(400, message, 'VALIDATION_FAILED', fields);
  }
}

async function refusal(response: Response): Promise<ApiError> {
  if (response.status === 401 && signsInWithProvider()) goToSignIn();
  const error = await apiErrorOf(response);
  return response.status === 400 ? new InvalidFilterError(error.message || 'the filter is malformed', error.fields) : error;
}

async function customersGet(query: string, token: string, accept: string): Promise<Response> {
  const response = await fetch(`v1/customers${query}`, { headers: { accept, ...bearerHeader(token) }, cache: 'no-store' });
  if (!response.ok) throw await refusal(response);
  return response;
}

/** One page of the list; `query` is the API's query string (with `page` and `page_size`). */
export async function fetchCustomerList(query: URLSearchParams, token: string): Promise<CustomerListPage> {
  return (await (await customersGet(`?${query.toString()}`, token, 'application/json')).json()) as CustomerListPage;
}

export async function fetchCustomerFilterOptions(token: string): Promise<CustomerFilterOptions> {
  return (await (await customersGet('/filters', token, 'application/json')).json()) as CustomerFilterOptions;
}

function csvQuery(query: URLSearchParams): string {
  const csv = new URLSearchParams(query);
  csv.set('format', 'csv');
  return `?${csv.toString()}`;
}

/** The CSV export's URL for a filter: a plain link works with the session cookie. */
export function customersCsvUrl(query: URLSearchParams): string {
  return `v1/customers${csvQuery(query)}`;
}

/** The whole filter as CSV, fetched with the bearer token (a link cannot carry the header). */
export async function fetchCustomersCsv(query: URLSearchParams, token: string): Promise<Blob> {
  return (await customersGet(csvQuery(query), token, 'text/csv')).blob();
}
