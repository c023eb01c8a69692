import { HttpStatus } from '@nestjs/common';
import type { ErrorStatuses } from '@churn/service-kit';
import type { SessionErrorCode } from './auth/session-error';
import type { CustomerErrorCode } from './customers/customer-error';
import type { ExperimentErrorCode } from './experiments/experiment-error';
import type { UpstreamErrorCode } from './http/upstream-error';
import type { RecordsErrorCode } from './recorded/row-problems';
import type { ReportEmailErrorCode } from './reports/report-mail.service';

/** Monitoring's error codes and their HTTP statuses (docs/http-errors.md). */
export const MONITORING_ERROR_STATUSES: ErrorStatuses<
  SessionErrorCode | CustomerErrorCode | ExperimentErrorCode | UpstreamErrorCode | RecordsErrorCode | ReportEmailErrorCode
> = {
  SESSION_ENDED: HttpStatus.UNAUTHORIZED,
  CSRF_TOKEN_INVALID: HttpStatus.FORBIDDEN,
  SIGN_IN_DISABLED: HttpStatus.NOT_FOUND,
  OIDC_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
  CUSTOMER_NOT_FOUND: HttpStatus.NOT_FOUND,
  EXPERIMENT_NOT_FOUND: HttpStatus.NOT_FOUND,
  ALERTING_UNAVAILABLE: HttpStatus.BAD_GATEWAY,
  CRM_SYNC_UNAVAILABLE: HttpStatus.BAD_GATEWAY,
  SCORER_UNAVAILABLE: HttpStatus.BAD_GATEWAY,
  SANDBOX_UNAVAILABLE: HttpStatus.BAD_GATEWAY,
  UPSTREAM_TIMEOUT: HttpStatus.GATEWAY_TIMEOUT,
  SANDBOX_NOT_CONFIGURED: HttpStatus.NOT_FOUND,
  RECORDS_REFUSED: HttpStatus.UNPROCESSABLE_ENTITY,
  UNREADABLE_RECORDS: HttpStatus.BAD_REQUEST,
  UNSUPPORTED_MEDIA_TYPE: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  PAYLOAD_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  REPORT_EMAIL_DISABLED: HttpStatus.SERVICE_UNAVAILABLE,
  REPORT_EMAIL_DEFERRED: HttpStatus.SERVICE_UNAVAILABLE,
  REPORT_EMAIL_REFUSED: HttpStatus.BAD_GATEWAY,
  REPORT_EMAIL_REJECTED: HttpStatus.BAD_GATEWAY,
  REPORT_FAILED: HttpStatus.INTERNAL_SERVER_ERROR,
};
