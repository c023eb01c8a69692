/** The monitoring API as the dashboard reads it (HTTP only); the answers' shapes are @churn/contracts'. */
import type { AlertDetail, DashboardAlertQueue, DashboardSummary } from '@churn/contracts';
import { csrfHeader, goToSignIn, signsInWithProvider } from './session';

export type { AlertDetail, FeatureDrift, ModelDrift, PendingAlert, QualityFigures, QualityWindow, RiskLevel, RoiFigures, RoiSnapshot } from '@churn/contracts';
/** `GET /v1/dashboard`: aggregates only, so no token. */
export type DashboardData = DashboardSummary;
/** The alert queue (`GET /v1/dashboard/alerts`, agents only): it names customers. */
export type AlertQueue = DashboardAlertQueue;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
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
  if (!response.ok) throw new ApiError(response.status, await errorMessage(response));
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
  if (!response.ok) throw new ApiError(response.status, await errorMessage(response));
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
  if (!response.ok) throw new ApiError(response.status, (await errorMessage(response)) || `acknowledge answered ${response.status}`);
}

/** The services' error body: { statusCode, error: CODE, message }. */
export async function errorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { message?: unknown };
    return typeof body.message === 'string' ? body.message : `HTTP ${response.status}`;
  } catch {
    return response.statusText || `HTTP ${response.status}`;
  }
}
