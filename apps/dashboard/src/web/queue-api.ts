/** The work queue as the page calls it: alerting's answers, forwarded unchanged by monitoring (`v1/alerts…`). */
import { fetchWithToken, postWithToken, type RiskLevel } from './api';

export type AlertState = 'pending' | 'acknowledged' | 'resolved' | 'expired';

export interface QueueAlert {
  alert_id: string;
  customer_id: string;
  level: RiskLevel;
  risk_score: number;
  message: string;
  reason: string;
  status: AlertState;
  created_at: string;
  /** The deadline to acknowledge: creation plus the level's SLA target. */
  due_at: string;
  /** Pending past its deadline when alerting answered. */
  overdue: boolean;
  assignee: string | null;
  acknowledged_by: string | null;
  resolved_by: string | null;
}

export interface QueuePage {
  alerts: QueueAlert[];
  page: number;
  page_size: number;
  total: number;
}

export interface HistoryEntry {
  at: string;
  actor: string;
  action: string;
  by: string | null;
  note: string | null;
  details: Record<string, unknown>;
}

export type BulkAction = 'acknowledge' | 'resolve';

export interface BulkAnswer {
  action: BulkAction;
  changed: number;
  unchanged: number;
  failed: number;
  results: { alert_id: string; result: string }[];
}

const alertPath = (alertId: string, action: string) => `v1/alerts/${encodeURIComponent(alertId)}/${action}`;

/** `query` goes as it is: alerting validates each parameter and a 400 names the one it refused. */
export function fetchQueue(query: URLSearchParams, token: string): Promise<QueuePage> {
  return fetchWithToken<QueuePage>(`v1/alerts?${query.toString()}`, token);
}

export async function fetchHistory(alertId: string, token: string): Promise<HistoryEntry[]> {
  return (await fetchWithToken<{ history: HistoryEntry[] }>(alertPath(alertId, 'history'), token)).history;
}

/** `me`: the caller (the token's subject, or the signed-in person). */
export function assignAlert(alertId: string, assignee: string, token: string): Promise<QueueAlert> {
  return postWithToken<QueueAlert>(alertPath(alertId, 'assign'), { assignee }, token);
}

/** No `by`: alerting records the caller, the same person `owner=me` finds. */
export function acknowledgeWithNote(alertId: string, note: string, token: string): Promise<unknown> {
  return postWithToken(alertPath(alertId, 'acknowledge'), note ? { note } : {}, token);
}

export function resolveAlert(alertId: string, note: string, token: string): Promise<unknown> {
  return postWithToken(alertPath(alertId, 'resolve'), { note }, token);
}

export function bulkAct(action: BulkAction, ids: readonly string[], note: string, token: string): Promise<BulkAnswer> {
  return postWithToken<BulkAnswer>('v1/alerts/bulk', { action, ids, ...(note ? { note } : {}) }, token);
}
