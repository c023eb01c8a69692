import { HttpStatus } from '@nestjs/common';
import type { ErrorStatuses } from '@churn/service-kit';
import type { AlertErrorCode } from './alerts/alert-error';

/** Alerting's error codes and their HTTP statuses (docs/http-errors.md). */
export const ALERTING_ERROR_STATUSES: ErrorStatuses<AlertErrorCode> = {
  ALERT_NOT_FOUND: HttpStatus.NOT_FOUND,
  ALERT_ACKNOWLEDGED: HttpStatus.CONFLICT,
  ALERT_EXPIRED: HttpStatus.CONFLICT,
  ALERT_RESOLVED: HttpStatus.CONFLICT,
  ALERT_STATE_CONFLICT: HttpStatus.CONFLICT,
};
