/**
 * How a failed CRM write is handled:
 * - `rate_limited`: the CRM asked us to slow down; wait `retryAfterMs`, no attempt counted;
 * - `outage`: the CRM (or the way to it) failed as a whole: 5xx, timeout, connection, auth; the
 *   circuit breaker counts it, the rows wait with back-off, no attempt counted;
 * - `retryable`: this record failed in a way that may pass later (UNABLE_TO_LOCK_ROW); counts an attempt;
 * - `permanent`: this record will not pass as it is (validation, missing record); parked at once.
 */
export type CrmFailureKind = 'rate_limited' | 'outage' | 'retryable' | 'permanent';

export class CrmCallError extends Error {
  constructor(
    readonly kind: CrmFailureKind,
    readonly code: string,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'CrmCallError';
  }
}

/** The outcome of one record inside a batch call. */
export type RecordResult =
  | { readonly ok: true; readonly externalId: string | null }
  | { readonly ok: false; readonly kind: CrmFailureKind; readonly code: string; readonly message: string; readonly retryAfterMs?: number };

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

export function isNetworkError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown; errno?: unknown }).code ?? (current as { errno?: unknown }).errno;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    if (current instanceof Error && /ECONNREFUSED|ECONNRESET|socket hang up|fetch failed|network/i.test(current.message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Salesforce per-record and call-level status codes that pass on a later attempt. */
export const SALESFORCE_RETRYABLE_CODES = new Set(['UNABLE_TO_LOCK_ROW', 'SERVER_UNAVAILABLE', 'REQUEST_RUNNING_TOO_LONG', 'QUERY_TIMEOUT', 'TXN_SECURITY_METERING_ERROR']);

/** Exponential back-off with full jitter between base·2^(attempt-1)/2 and base·2^(attempt-1), capped. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
