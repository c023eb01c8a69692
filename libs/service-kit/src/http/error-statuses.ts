import { HttpStatus, type Provider } from '@nestjs/common';
import type { AuthErrorCode } from './jwt-auth.guard';
import type { RequestBodyErrorCode } from './request-body-error';

/** A module's error codes and the HTTP status each answers: the one place a code meets a status. */
export type ErrorStatuses<C extends string = string> = Readonly<Record<C, HttpStatus>>;

/** The service's code → status table, read by the exception filter at start. */
export const ERROR_STATUSES = Symbol('ERROR_STATUSES');

/** The codes the service kit itself raises (authentication, request bodies, request validation). */
export const KIT_ERROR_STATUSES: ErrorStatuses<AuthErrorCode | RequestBodyErrorCode | 'VALIDATION_FAILED'> = {
  VALIDATION_FAILED: HttpStatus.BAD_REQUEST,
  MALFORMED_BODY: HttpStatus.BAD_REQUEST,
  PAYLOAD_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  UNAUTHENTICATED: HttpStatus.UNAUTHORIZED,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  AUTH_DISABLED: HttpStatus.SERVICE_UNAVAILABLE,
};

/**
 * A service module's provider of its modules' tables, merged: `errorStatusesProvider(ALERT_ERROR_STATUSES, …)`.
 * A code in two tables with different statuses fails the start, so no module silently overrides another.
 */
export function errorStatusesProvider(...tables: readonly ErrorStatuses[]): Provider {
  return { provide: ERROR_STATUSES, useValue: mergeErrorStatuses(KIT_ERROR_STATUSES, ...tables) };
}

export function mergeErrorStatuses(...tables: readonly ErrorStatuses[]): ErrorStatuses {
  const merged: Record<string, HttpStatus> = {};
  for (const table of tables) {
    for (const [code, status] of Object.entries(table)) {
      if (merged[code] !== undefined && merged[code] !== status) throw new Error(`error code ${code} maps to both ${merged[code]} and ${status}`);
      merged[code] = status;
    }
  }
  return merged;
}
