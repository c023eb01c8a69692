import { HttpStatus, type Provider } from '@nestjs/common';
import type { AuthErrorCode } from './jwt-auth.guard';
import type { RequestBodyErrorCode } from './request-body-error';

/** A module's error codes and the HTTP status each answers: the one place a code meets a status. */
export type ErrorStatuses<C extends string = string> = Readonly<Record<C, HttpStatus>>;

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
 * The service's code → status table as the exception filter reads it: the kit's codes from the start,
 * each module's tables added as Nest builds that module's providers (errorStatusesProvider). A service
 * whose modules add none (ingest) answers with the kit's codes alone.
 */
export class ErrorStatusTable {
  private table: ErrorStatuses;

  constructor(...tables: readonly ErrorStatuses[]) {
    this.table = mergeErrorStatuses(KIT_ERROR_STATUSES, ...tables);
  }

  add(...tables: readonly ErrorStatuses[]): void {
    this.table = mergeErrorStatuses(this.table, ...tables);
  }

  statusOf(code: string): HttpStatus | undefined {
    return this.table[code];
  }
}

/**
 * A service module's provider of its modules' tables: `errorStatusesProvider(ALERTING_ERROR_STATUSES, …)`
 * adds them to the ErrorStatusTable the core module shares. A code in two tables with different statuses
 * fails the start, so no module silently overrides another.
 */
export function errorStatusesProvider(...tables: readonly ErrorStatuses[]): Provider {
  return {
    provide: Symbol('error statuses'),
    useFactory: (table: ErrorStatusTable) => {
      table.add(...tables);
      return tables;
    },
    inject: [ErrorStatusTable],
  };
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
