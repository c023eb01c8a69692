/** The monitoring API a customer's page reads and calls (shapes of apps/monitoring's answers; HTTP only). */
import { ApiError, apiErrorOf, bearerHeader, fetchWithToken, type FieldProblem, type RiskLevel } from './api';
import { csrfHeader, goToSignIn, signsInWithProvider } from './session';

export type { FieldProblem } from './api';

export interface CustomerAlertSummary {
  alert_id: string;
  level: RiskLevel | string;
  state: 'pending' | 'acknowledged' | 'resolved' | 'expired' | string;
  due_at: string | null;
}

export interface CustomerSummary {
  customer_id: string;
  risk_score: number | null;
  risk_level: RiskLevel | null;
  churn_probability: number | null;
  score_change: number | null;
  revenue_at_risk: number | null;
  model_version: string | null;
  scored_at: string | null;
  alert: CustomerAlertSummary | null;
  experiment: { name: string; arm: string } | null;
  attributes: Record<string, string | number | null>;
  previous_risk_score: number | null;
  as_of: string | null;
  prediction_id: string | null;
}

export interface Driver {
  feature: string;
  value: string | number | boolean | null;
  contribution: number;
}

export interface ScorePoint {
  scored_at: string;
  as_of: string;
  risk_score: number;
  risk_level: RiskLevel;
  model_version: string;
  role: 'champion' | 'shadow';
}

export type PopulationSummary =
  | { type: 'numeric'; customers: number; missing: number; mean: number | null; quantiles: Record<string, number> }
  | { type: 'categorical'; customers: number; missing: number; shares: { value: string; share: number }[] };

export interface CustomerFeature {
  name: string;
  kind: 'attribute' | 'behaviour';
  section: 'attributes' | 'derived' | 'aggregates';
  type: 'numeric' | 'boolean' | 'categorical';
  value: string | number | null;
  population: PopulationSummary | null;
}

export type TimelineKind = 'prediction' | 'alert' | 'notification' | 'crm' | 'outcome' | 'intervention';

export interface TimelineEntry {
  at: string;
  kind: TimelineKind;
  summary: string;
  /** Alerts: the person's note; interventions: channel, offer, cost; the rest as monitoring sends them. */
  [detail: string]: unknown;
}

export interface CustomerDetail {
  customer: CustomerSummary;
  drivers: Driver[];
  score_history: ScorePoint[];
  features_as_of: string | null;
  features_spec: { active: string; vector: string | null; matches: boolean };
  features: CustomerFeature[];
  timeline: TimelineEntry[];
  recommended_action: { action: string; cost: number | null } | null;
  experiment: { name: string; arm: string } | null;
}

/** A refused request (400, 422) with the fields it names, so the page can say which input is wrong. */
export class RequestRefused extends ApiError {
  constructor(
    status: number,
    message: string,
    code: string,
    fields: readonly FieldProblem[],
  ) {
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
