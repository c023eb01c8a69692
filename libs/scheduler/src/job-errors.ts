/** What the scheduler refuses: a job registered twice, after start, or run without a handler in this process. */
export class JobSchedulerError extends Error {
  constructor(
    readonly code: 'DUPLICATE_JOB' | 'ALREADY_STARTED' | 'NOT_STARTED' | 'UNKNOWN_JOB',
    message: string,
  ) {
    super(message);
    this.name = 'JobSchedulerError';
  }
}

/**
 * A job's own failure that no retry can fix (bad input, a refused precondition): the run is marked
 * failed at once instead of being retried. Any other error is retried up to JOB_RETRY_LIMIT times.
 */
export class PermanentJobError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentJobError';
  }
}
