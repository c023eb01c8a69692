/** The monitoring API as the dashboard reads it (shapes of apps/monitoring's answers; HTTP only). */
import { csrfHeader, goToSignIn, signsInWithProvider } from './session';

export type RiskLevel = 'low' | 'medium' | 'high' | 'critical';
export type QualityWindow = '24h' | '7d' | '30d' | 'all';

export interface QualityFigures {
  count: number;
  positives: number;
  roc_auc: number | null;
  pr_auc: number | null;
  brier: number | null;
  log_loss: number | null;
  ece: number | null;
  lift_top_decile: number | null;
  threshold: number;
  accuracy: number | null;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export interface RoiFigures {
  customers: number;
  treated_customers: number;
  revenue_at_risk: number;
  expected_revenue_loss: number;
  programme_cost: number;
  customers_retained: number;
  revenue_saved: number;
  net_benefit: number;
  roi_multiple: number | null;
  basis: 'measured' | 'estimate';
}

export interface RoiSnapshot {
  window: string;
  since: string | null;
  assumptions: { retention_success_rate: number; clv_months: number };
  experiment: { name: string; uplift: number | null; ci95: [number, number] | null; p_value: number | null; underpowered: boolean } | null;
  overall: RoiFigures;
  by_risk_level: Partial<Record<RiskLevel, RoiFigures>>;
}

export interface FeatureDrift {
  subject: string;
  kind: 'numeric' | 'categorical';
  psi: number;
  ks_statistic: number | null;
  ks_p_value: number | null;
  breached: boolean;
}

export interface ModelDrift {
  model_version: string;
  role: 'champion' | 'shadow';
  customers: number;
  enough_data: boolean;
  features: FeatureDrift[];
  score: FeatureDrift | null;
  performance: { cv_roc_auc: number | null; live_roc_auc: number | null; labelled: number; relative_drop: number | null; breached: boolean };
}

export interface ModelAlert {
  alert_id: string;
  model_version: string;
  kind: string;
  subject: string;
  day: string;
  value: number;
  threshold: number;
  message: string;
  created_at: string;
}

export interface PendingAlert {
  alert_id: string;
  customer_id: string;
  level: RiskLevel;
  risk_score: number;
  message: string;
  status: string;
  created_at: string;
}

/** One alert as alerting shows it (`GET /v1/alerts/{id}` through monitoring): the page a Slack or e-mail link opens. */
export interface AlertDetail extends PendingAlert {
  reason: string;
  details: { recommended_action?: string; revenue_at_risk?: number; top_factors?: { feature: string }[] };
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  /** `churned`: resolved because the customer cancelled; null: by a person. */
  resolution?: 'churned' | null;
}

export interface DashboardData {
  computed_at: string;
  cards: { predictions_30d: number; critical_customers: number; pending_alerts: number; average_risk_score: number | null; customers_30d: number };
  risk_distribution: Record<RiskLevel, number>;
  score_trend: { day: string; predictions: number; average_risk_score: number }[];
  roi: RoiSnapshot;
  quality: { model_version: string; label_delay_days: number; windows: Record<QualityWindow, { overall: QualityFigures }> } | null;
  shadow_quality: { model_version: string; all: QualityFigures }[];
  /** During a gradual rollout: the champion and the rollout's version, each on the customers it serves. */
  rollout: {
    version: string;
    share: number;
    champion: string;
    arms: { model_version: string; serving: 'champion' | 'rollout'; customers: number; all: QualityFigures | null; roi: RoiFigures }[];
  } | null;
  drift: ModelDrift[];
  model_alerts: ModelAlert[];
  /** Each scheduled job's newest run. */
  jobs: { job: string; status: 'running' | 'succeeded' | 'retrying' | 'failed'; attempt: number; started_at: string; finished_at: string | null }[];
}

/** The alert queue (`GET /v1/dashboard/alerts`, agents only): it names customers. */
export interface AlertQueue {
  pending_alerts: number;
  alerts: PendingAlert[];
}

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
  const message = typeof problem?.detail === 'string' ? problem.detail : typeof problem?.title === 'string' ? problem.title : response.statusText || `HTTP ${response.status}`;
  const fields = (problem?.errors ?? problem?.problems ?? []).filter((f) => typeof f?.field === 'string');
  return new ApiError(response.status, message, typeof problem?.code === 'string' ? problem.code : '', fields);
}
