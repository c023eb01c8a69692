import { DomainError } from '@churn/service-kit';

export type CustomerErrorCode = 'CUSTOMER_NOT_FOUND';

/** A customer monitoring has never heard of. */
export class CustomerError extends DomainError<CustomerErrorCode> {}
