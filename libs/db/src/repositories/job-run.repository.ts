import type { Queryable } from '../database';

/** `running` while an attempt is in hand; `retrying` after an attempt failed with attempts left; `failed` when none are left. */
export type JobRunStatus = 'running' | 'succeeded' | 'retrying' | 'failed';
/** `schedule`: a tick of the job's configured schedule; `manual`: `churn jobs run` or a test. */
export type JobRunTrigger = 'schedule' | 'manual';

export interface JobRunStart {
  /** pg-boss's job id: one per schedule tick, the same across that tick's retries. */
  readonly run_id: string;
  readonly job: string;
  readonly trigger: JobRunTrigger;
  /** 0 for the first attempt, +1 per retry (pg-boss's retryCount). */
  readonly attempt: number;
  /** Which process holds the attempt (host:pid), for an operator reading a stuck run. */
  readonly worker: string;
  /** When the tick fell due (pg-boss's createdOn). */
  readonly scheduled_at: Date;
}

export interface JobRunRow {
  run_id: string;
  job: string;
  trigger: JobRunTrigger;
  attempt: number;
  status: JobRunStatus;
  worker: string;
  scheduled_at: Date;
  started_at: Date;
  finished_at: Date | null;
  result: Record<string, unknown> | null;
  error: string | null;
}

const COLUMNS = 'run_id, job, trigger, attempt, status, worker, scheduled_at, started_at, finished_at, result, error';

/** The platform's run history of scheduled jobs (libs/scheduler writes it; monitoring and the CLI read it). */
export class JobRunRepository {
  /**
   * Records that an attempt starts. A run already `succeeded` is left as it is and null is returned:
   * its effect is done, so a job pg-boss hands out again (a worker that finished the work and died
   * before pg-boss recorded completion) is acknowledged without running it a second time.
   */
  async start(db: Queryable, run: JobRunStart): Promise<JobRunRow | null> {
    const rows = await db.query<JobRunRow>(
      'job_runs.start',
      `INSERT INTO job_runs (run_id, job, trigger, attempt, status, worker, scheduled_at, started_at)
       VALUES ($1, $2, $3, $4, 'running', $5, $6, now())
       ON CONFLICT (run_id) DO UPDATE
          SET attempt = EXCLUDED.attempt, status = 'running', worker = EXCLUDED.worker, started_at = now(), finished_at = NULL, error = NULL
        WHERE job_runs.status <> 'succeeded'
       RETURNING ${COLUMNS}`,
      [run.run_id, run.job, run.trigger, run.attempt, run.worker, run.scheduled_at],
    );
    return rows[0] ?? null;
  }

  /**
   * Records how an attempt ended. Only the attempt that holds the run may finish it (same attempt
   * number, still `running`): an attempt pg-boss already gave up on (expired, retried elsewhere)
   * cannot overwrite its successor. Returns whether the row changed.
   */
  async finish(
    db: Queryable,
    runId: string,
    attempt: number,
    status: Exclude<JobRunStatus, 'running'>,
    result: unknown,
    error: string | null,
  ): Promise<boolean> {
    const rows = await db.query<{ run_id: string }>(
      'job_runs.finish',
      `UPDATE job_runs SET status = $3, finished_at = now(), result = $4::jsonb, error = $5
        WHERE run_id = $1 AND attempt = $2 AND status = 'running'
       RETURNING run_id`,
      [runId, attempt, status, result === undefined ? null : JSON.stringify(result), error],
    );
    return rows.length > 0;
  }

  /**
   * Marks a run failed that pg-boss gave up on without its worker saying so (the worker was killed or
   * lost its connection and the retries are spent). A run that already ended keeps its status.
   */
  async abandon(db: Queryable, runId: string, error: string): Promise<JobRunRow | null> {
    const rows = await db.query<JobRunRow>(
      'job_runs.abandon',
      `UPDATE job_runs SET status = 'failed', finished_at = now(), error = $2
        WHERE run_id = $1 AND status IN ('running', 'retrying')
       RETURNING ${COLUMNS}`,
      [runId, error],
    );
    return rows[0] ?? null;
  }

  /** Runs newest first, of one job or of all, optionally of one status. */
  async list(db: Queryable, filter: { job?: string | undefined; status?: JobRunStatus | undefined; limit: number }): Promise<JobRunRow[]> {
    return db.query<JobRunRow>(
      'job_runs.list',
      `SELECT ${COLUMNS} FROM job_runs
        WHERE ($1::text IS NULL OR job = $1) AND ($2::text IS NULL OR status = $2)
        ORDER BY started_at DESC, run_id
        LIMIT $3`,
      [filter.job ?? null, filter.status ?? null, filter.limit],
    );
  }

  /** Each job's newest run (the dashboard's line per job). */
  async latestPerJob(db: Queryable): Promise<JobRunRow[]> {
    return db.query<JobRunRow>('job_runs.latest_per_job', `SELECT DISTINCT ON (job) ${COLUMNS} FROM job_runs ORDER BY job, started_at DESC, run_id`);
  }

  async findById(db: Queryable, runId: string): Promise<JobRunRow | null> {
    const rows = await db.query<JobRunRow>('job_runs.find_by_id', `SELECT ${COLUMNS} FROM job_runs WHERE run_id = $1`, [runId]);
    return rows[0] ?? null;
  }

  /** Each job's last successful finish, for the staleness gauge after a restart. */
  async lastSuccesses(db: Queryable): Promise<{ job: string; finished_at: Date }[]> {
    return db.query<{ job: string; finished_at: Date }>(
      'job_runs.last_successes',
      `SELECT job, max(finished_at) AS finished_at FROM job_runs WHERE status = 'succeeded' GROUP BY job`,
    );
  }
}
