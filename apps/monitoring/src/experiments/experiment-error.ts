import { DomainError } from '@churn/service-kit';

export type ExperimentErrorCode = 'EXPERIMENT_NOT_FOUND';

/** An experiment no prediction carries. */
export class ExperimentError extends DomainError<ExperimentErrorCode> {}
