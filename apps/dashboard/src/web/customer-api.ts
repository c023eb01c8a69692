/** The monitoring API a customer's page reads and calls (HTTP only); the answers' shapes are @churn/contracts'. */
import type { CustomerPage } from '@churn/contracts';
import { ApiError, apiErrorOf, bearerHeader, fetchWithToken, type FieldProblem } from './api';
import { csrfHeader, goToSignIn, signsInWithProvider } from './session';

export type { FieldProblem } from './api';

export type { CustomerAlertSummary, CustomerFeature, CustomerSummary, PopulationSummary, ScorePoint, TimelineEntry, TimelineKind } from '@churn/contracts';
export type { CustomerDriver as Driver } from '@churn/contracts';
export type CustomerDetail = CustomerPage;

/** A refused request (400, 422) with the fields it names, so the page can say which input is wrong. */
export class RequestRefused extends ApiError {
  constructor(status: number, message: string, code: string, fields: readonly FieldProblem[]) {
    super(status, message, code, fields);
  }
}

export interface InterventionRecord {
  customer_id: string;
  performed_by: string;
  performed_at: string;
  action: string;
  cost: number;
  channel?: string;
  offer?: string;
}

export interface OutcomeRecord {
  customer_id: string;
  churned: boolean;
  observed_at: string;
}

export function fetchCustomer(customerId: string, token: string): Promise<CustomerDetail> {
  return fetchWithToken<CustomerDetail>(`v1/customers/${encodeURIComponent(customerId)}`, token);
}

/** Through monitoring to alerting, which records `by` and the note in the alert and its audit log. */
export function acknowledgeWithNote(alertId: string, by: string, note: string, token: string): Promise<unknown> {
  return postJson(`v1/alerts/${encodeURIComponent(alertId)}/acknowledge`, { by, ...(note ? { note } : {}) }, token);
}

export function resolveWithNote(alertId: string, by: string, note: string, token: string): Promise<unknown> {
  return postJson(`v1/alerts/${encodeURIComponent(alertId)}/resolve`, { by, ...(note ? { note } : {}) }, token);
}

export function recordIntervention(record: InterventionRecord, token: string): Promise<unknown> {
  return postJson('v1/interventions', record, token);
}

export function recordOutcome(record: OutcomeRecord, token: string): Promise<unknown> {
  return postJson('v1/outcomes', record, token);
}

/**
 * A state-changing call with the person's bearer token, or their session (its CSRF token in the
 * header). A 400 (`errors`) or 422 (`problems`) keeps the fields it names; an ended session goes to
 * sign-in, back to this page after.
 */
async function postJson<T>(path: string, body: unknown, token: string): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json', ...bearerHeader(token), ...csrfHeader() },
    body: JSON.stringify(body),
  });
  if (response.status === 401 && signsInWithProvider()) goToSignIn();
  if (response.ok) return (await response.json().catch(() => null)) as T;
  const error = await apiErrorOf(response);
  throw error.fields.length > 0 ? new RequestRefused(error.status, error.message, error.code, error.fields) : error;
}
