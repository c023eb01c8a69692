/**
 * How a failed CRM write is handled:
 * - `rate_limited`: the CRM asked us to slow down; the whole CRM is held for `retryAfterMs` (every
 *   instance), no attempt counted;
 * - `misconfigured`: the call as a whole was refused for a reason no retry fixes (unknown field or
 *   object, missing permission or scope, refused credentials, a batch the CRM rejects as invalid):
 *   the integration is paused, the rows stay pending, no attempt counted;
 * - `outage`: the CRM (or the way to it) failed as a whole: 5xx, timeout, connection, a token endpoint that is down; the
 *   circuit breaker counts it, the rows wait with back-off, no attempt counted;
 * - `retryable`: this record failed in a way that may pass later (UNABLE_TO_LOCK_ROW); counts an attempt;
 * - `permanent`: this record will not pass as it is (validation, missing record); parked at once.
 */
export type CrmFailureKind = 'rate_limited' | 'misconfigured' | 'outage' | 'retryable' | 'permanent';

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

/**
 * The outcome of one record inside a batch call. `created`: the CRM had no record of the customer
 * and one was created (MISSING_CUSTOMER=create); `missing`: it had none and the write is skipped
 * (MISSING_CUSTOMER=skip).
 */
export type RecordResult =
  | { readonly ok: true; readonly externalId: string | null; readonly created?: boolean }
  | { readonly ok: false; readonly missing: true; readonly message: string }
  | {
      readonly ok: false;
      readonly missing?: undefined;
      readonly kind: CrmFailureKind;
      readonly code: string;
      readonly message: string;
      readonly retryAfterMs?: number;
    };

/** What to do with a write for a customer the CRM has no record of. */
export type MissingCustomerAction = 'create' | 'skip';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

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
export const SALESFORCE_RETRYABLE_CODES = new Set([
  'UNABLE_TO_LOCK_ROW',
  'SERVER_UNAVAILABLE',
  'REQUEST_RUNNING_TOO_LONG',
  'QUERY_TIMEOUT',
  'TXN_SECURITY_METERING_ERROR',
]);

/** Exponential back-off with full jitter between base·2^(attempt-1)/2 and base·2^(attempt-1), capped. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Salesforce call-level codes that no retry fixes: the integration is paused until someone acts. */
export const SALESFORCE_MISCONFIGURED_CODES = new Set([
  'INVALID_FIELD',
  'INVALID_FIELD_FOR_INSERT_UPDATE',
  'INVALID_TYPE',
  'NOT_FOUND',
  'INSUFFICIENT_ACCESS',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
  'API_DISABLED_FOR_ORG',
  'API_CURRENTLY_DISABLED',
  'INVALID_SESSION_ID',
  'INVALID_AUTH_HEADER',
]);

/** The reasons a paused integration gives (the `reason` label of crm_sync_integration_paused). */
export const PAUSE_REASONS = [
  'invalid_field',
  'invalid_type',
  'insufficient_access',
  'auth_failed',
  'batch_validation',
  'missing_scopes',
  'missing_fields',
  'other',
] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

/** The pause reason of a `misconfigured` failure's code. */
export function pauseReasonOf(code: string): PauseReason {
  if (/^INVALID_FIELD/.test(code)) return 'invalid_field';
  if (code === 'INVALID_TYPE' || code === 'NOT_FOUND') return 'invalid_type';
  if (/^INSUFFICIENT_ACCESS|^API_(DISABLED_FOR_ORG|CURRENTLY_DISABLED)$|^HTTP_403$/.test(code)) return 'insufficient_access';
  if (/^OAUTH_|INVALID_SESSION_ID|INVALID_AUTH|invalid_grant|invalid_client|AUTHENTICATION|HTTP_401/i.test(code)) return 'auth_failed';
  if (code === 'MISSING_SCOPES') return 'missing_scopes';
  if (code === 'MISSING_FIELDS') return 'missing_fields';
  if (/VALIDATION|PROPERTY_DOESNT_EXIST|HTTP_400/.test(code)) return 'batch_validation';
  return 'other';
}
