import { DomainError } from '@churn/service-kit';

export type IntegrationErrorCode = 'CRM_NOT_ENABLED';

/** An admin action on a CRM integration this instance does not run. */
export class IntegrationError extends DomainError<IntegrationErrorCode> {}
