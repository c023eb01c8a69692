import { HttpStatus } from '@nestjs/common';
import type { ErrorStatuses } from '@churn/service-kit';
import type { IntegrationErrorCode } from './integrations/integration-error';

/** crm-sync's error codes and their HTTP statuses (docs/http-errors.md). */
export const CRM_SYNC_ERROR_STATUSES: ErrorStatuses<IntegrationErrorCode> = {
  CRM_NOT_ENABLED: HttpStatus.NOT_FOUND,
};
