/** The monitoring API as the dashboard reads it (HTTP only); the answers' shapes are @churn/contracts'. */
import type { AlertDetail, DashboardAlertQueue, DashboardSummary } from '@churn/contracts';
import { csrfHeader, goToSignIn, signsInWithProvider } from './session';

export type { AlertDetail, FeatureDrift, ModelDrift, PendingAlert, QualityFigures, QualityWindow, RiskLevel, RoiFigures, RoiSnapshot } from '@churn/contracts';
/** `GET /v1/dashboard`: aggregates only, so no token. */
export type DashboardData = DashboardSummary;
/** The alert queue (`GET /v1/dashboard/alerts`, agents only): it names customers. */
export type AlertQueue = DashboardAlertQueue;

/** One refused input of a request, as a problem's `errors` (or a refused import's `problems`) names it. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * An error answer of the services: `application/problem+json` (RFC 9457, docs/http-errors.md) with
 * `detail` for people, `code` for programs, and `errors` naming each refused field.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  errors?: FieldProblem[];
  /** A refused import's rows (RECORDS_REFUSED). */
  problems?: FieldProblem[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The problem's code (e.g. ALERT_ACKNOWLEDGED); empty when the answer was not a problem. */
    readonly code = '',
    readonly fields: readonly FieldProblem[] = [],
  ) {
    super(message);
  }
}

/** Relative URLs: the dashboard is served by monitoring, so the API is on the same origin. Aggregates only: no token. */
export async function fetchDashboard(): Promise<DashboardData> {
  const response = await fetch('v1/dashboard', { headers: { accept: 'application/json' }, cache: 'no-store' });
  if (!response.ok) throw new ApiError(response.status, `GET /v1/dashboard answered ${response.status}`);
  return (await response.json()) as DashboardData;
}

/** The Authorization header of a token; none for a signed-in person (the session cookie goes along). */
export function bearerHeader(token: string): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/**
 * A customer-level read with the user's bearer token or session (role agent or admin); 401/403 come
 * back as ApiError, and an ended session (401) also goes to sign-in, back to this page after.
 */
export async function fetchWithToken<T>(path: string, token: string): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json', ...bearerHeader(token) }, cache: 'no-store' });
  if (response.status === 401 && signsInWithProvider()) goToSignIn();
  if (!response.ok) throw await apiErrorOf(response);
  return (await response.json()) as T;
}

/**
 * A state-changing call with the person's bearer token, or their session (its CSRF token in the
 * header); the service behind checks the role and audits. An ended session goes to sign-in, back here after.
 */
export async function postWithToken<T>(path: string, body: unknown, token: string): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json', ...bearerHeader(token), ...csrfHeader() },
    body: JSON.stringify(body ?? {}),
  });
  if (response.status === 401 && signsInWithProvider()) goToSignIn();
  if (!response.ok) throw await apiErrorOf(response);
  return (await response.json()) as T;
}

export function fetchAlertQueue(token: string): Promise<AlertQueue> {
  return fetchWithToken<AlertQueue>('v1/dashboard/alerts', token);
}

/** One alert through monitoring, which checks the token and forwards it to alerting. */
export function fetchAlert(alertId: string, token: string): Promise<AlertDetail> {
  return fetchWithToken<AlertDetail>(`v1/alerts/${encodeURIComponent(alertId)}`, token);
}

/** Acknowledges through monitoring, which forwards to alerting with the user's bearer token. */
export async function acknowledgeAlert(alertId: string, by: string, token: string): Promise<void> {
  const response = await fetch(`v1/alerts/${encodeURIComponent(alertId)}/acknowledge`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearerHeader(token), ...csrfHeader() },
    body: JSON.stringify({ by }),
  });
  if (response.status === 401 && signsInWithProvider()) goToSignIn();
  if (!response.ok) throw await apiErrorOf(response);
}

/** A refused answer as an ApiError: the problem's detail (or title), code and field errors. */
export async function apiErrorOf(response: Response): Promise<ApiError> {
  const problem = (await response.json().catch(() => null)) as Partial<Problem> | null;
  const message =
    typeof problem?.detail === 'string'
      ? problem.detail
      : typeof problem?.title === 'string'
        ? problem.title
        : response.statusText || `HTTP ${response.status}`;
  const fields = (problem?.errors ?? problem?.problems ?? []).filter((f) => typeof f?.field === 'string');
  return new ApiError(response.status, message, typeof problem?.code === 'string' ? problem.code : '', fields);
}
