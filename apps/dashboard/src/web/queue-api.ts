/** The work queue as the page calls it: alerting's answers (shapes in @churn/contracts), forwarded unchanged by monitoring (`v1/alerts…`). */
import type { AlertHistory, AlertHistoryEntry, AlertQueuePage, AlertView, BulkAnswer } from '@churn/contracts';
import { fetchWithToken, postWithToken } from './api';

export type { AlertState, BulkAnswer } from '@churn/contracts';
export type QueueAlert = AlertView;
export type QueuePage = AlertQueuePage;
export type HistoryEntry = AlertHistoryEntry;
export type BulkAction = BulkAnswer['action'];

const alertPath = (alertId: string, action: string) => `v1/alerts/${encodeURIComponent(alertId)}/${action}`;

/** `query` goes as it is: alerting validates each parameter and a 400 names the one it refused. */
export function fetchQueue(query: URLSearchParams, token: string): Promise<QueuePage> {
  return fetchWithToken<QueuePage>(`v1/alerts?${query.toString()}`, token);
}

export async function fetchHistory(alertId: string, token: string): Promise<HistoryEntry[]> {
  return (await fetchWithToken<AlertHistory>(alertPath(alertId, 'history'), token)).history;
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
