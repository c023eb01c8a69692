import { DomainError } from '@churn/service-kit';

/** An upstream monitoring forwards to that could not be reached, or did not answer in time. */
export type UpstreamErrorCode =
  'ALERTING_UNAVAILABLE' | 'CRM_SYNC_UNAVAILABLE' | 'SCORER_UNAVAILABLE' | 'SANDBOX_UNAVAILABLE' | 'UPSTREAM_TIMEOUT' | 'SANDBOX_NOT_CONFIGURED';

export class UpstreamError extends DomainError<UpstreamErrorCode> {}
