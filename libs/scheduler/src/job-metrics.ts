import { getOrCreateCounter, getOrCreateGauge, getOrCreateHistogram, type Registry } from '@churn/observability';

/** Buckets from one second to six hours: a report takes seconds, a retrain up to hours. */
const JOB_DURATION_BUCKETS_SECONDS = [1, 5, 15, 60, 300, 900, 1800, 3600, 7200, 21600];

/** The series every process that runs jobs exports (the alert rules ChurnJobFailed and ChurnJobStale read them). */
export class JobMetrics {
  readonly runs;
  readonly lastSuccess;
  readonly lastFailure;
  readonly duration;
  readonly running;
  readonly expectedInterval;

  constructor(registry: Registry) {
    this.runs = getOrCreateCounter(registry, {
      name: 'churn_job_runs_total',
      help: 'Attempts of scheduled jobs by how they ended: succeeded, retrying (failed with attempts left), failed (none left), skipped (already succeeded), abandoned (worker lost, retries spent).',
      labelNames: ['job', 'status'] as const,
    });
    this.lastSuccess = getOrCreateGauge(registry, {
      name: 'churn_job_last_success_timestamp_seconds',
      help: 'When each job last succeeded (Unix seconds), from the run history at start and from every run since.',
      labelNames: ['job'] as const,
    });
    this.lastFailure = getOrCreateGauge(registry, {
      name: 'churn_job_last_failure_timestamp_seconds',
      help: 'When a run of each job last failed for good (Unix seconds).',
      labelNames: ['job'] as const,
    });
    this.duration = getOrCreateHistogram(registry, {
      name: 'churn_job_duration_seconds',
      help: 'Duration of job attempts, by job and how they ended.',
      labelNames: ['job', 'status'] as const,
      buckets: JOB_DURATION_BUCKETS_SECONDS,
    });
    this.expectedInterval = getOrCreateGauge(registry, {
      name: 'churn_job_expected_interval_seconds',
      help: 'Seconds between two ticks of each scheduled job (from its cron expression); ChurnJobStale compares the time since the last success with it.',
      labelNames: ['job'] as const,
    });
    this.running = getOrCreateGauge(registry, {
      name: 'churn_job_running',
      help: 'Attempts in hand in this process, by job.',
      labelNames: ['job'] as const,
    });
  }
}
