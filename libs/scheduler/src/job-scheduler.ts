import os from 'node:os';
import { PgBoss, type JobWithMetadata } from 'pg-boss';
import { JobRunRepository, type Database, type JobRunTrigger } from '@churn/db';
import type { Logger, Registry } from '@churn/observability';
import { JobSchedulerError, PermanentJobError } from './job-errors';
import { JobMetrics } from './job-metrics';
import type { JobName } from './job-names';
import { scheduleOf, tickIntervalSeconds, type SchedulerConfig } from './scheduler-config';

/** What a job is handed for one attempt. */
export interface JobContext {
  /** pg-boss's job id, the same for every attempt of one tick: key any effect by it to make a retry harmless. */
  readonly runId: string;
  readonly job: JobName;
  /** 0 for the first attempt. */
  readonly attempt: number;
  readonly trigger: JobRunTrigger;
  readonly scheduledAt: Date;
  /** Aborted when the process stops or pg-boss finds the attempt's claim gone (expired, heartbeat lost). */
  readonly signal: AbortSignal;
  /** Parameters of a manual run (`churn jobs run NAME --param k=v`); empty for a scheduled tick. */
  readonly params: Readonly<Record<string, string>>;
  readonly logger: Logger;
}

/** A job: a plain async function; what it returns is stored as the run's result (JSON). */
export type JobHandler = (context: JobContext) => Promise<Record<string, unknown> | void>;

export interface JobOptions {
  /** The longest one attempt may run, heartbeats or not (pg-boss's expireInSeconds). Default one hour. */
  readonly maxRunSeconds?: number;
}

export interface JobSchedulerOptions {
  readonly config: SchedulerConfig;
  readonly databaseUrl: string;
  /** The platform's pool, for the run history (job_runs); pg-boss opens its own small pool. */
  readonly database: Database;
  readonly logger: Logger;
  readonly registry: Registry;
  /** Names this process in job_runs.worker; default host:pid. */
  readonly worker?: string;
  /** pg-boss's own pool size. */
  readonly poolSize?: number;
  /**
   * How often each process tries to claim the cron pass (pg-boss's cronMonitorIntervalSeconds; one
   * process wins each pass). 30 s in production; tests shorten it.
   */
  readonly cronIntervalSeconds?: number;
  /**
   * Only enqueue (`churn jobs run`, a test that triggers a run): no cron pass, no supervision, no
   * workers; the processes that registered the jobs do the rest.
   */
  readonly enqueueOnly?: boolean;
  /** How often an idle worker looks for a job. Default 2 s. */
  readonly pollingIntervalSeconds?: number;
}

interface JobData {
  readonly trigger?: JobRunTrigger;
  readonly params?: Record<string, string>;
}

/**
 * Where every failed-for-good job of every queue is copied by pg-boss (its dead-letter queue): the
 * scheduler works it to mark a run `failed` whose worker died and whose retries are spent, since no
 * handler is left to say so.
 */
export const ABANDONED_QUEUE = 'churn-jobs-abandoned';

/**
 * The platform's jobs on pg-boss (Postgres-backed: the `pgboss` schema on DATABASE_URL). Every process
 * that hosts jobs creates one, registers its jobs by name and starts it:
 *
 * - schedules come from configuration (SCHEDULE_<JOB>, SCHEDULER_TIMEZONE): each process upserts the
 *   schedules of the jobs it registers, or removes one that is now empty. pg-boss's cron pass is
 *   claimed by one process at a time and files each occurrence under a singleton key and a 60-second
 *   slot, so every tick is one job however many replicas run (pg-boss timekeeper.js, `occurrenceKey`,
 *   `throttleSlot`);
 * - any process that registered a job works its queue; a queue's policy is `singleton` (one attempt
 *   active at a time), so a slow run and the next tick never overlap;
 * - an attempt that throws is retried JOB_RETRY_LIMIT times with back-off; an attempt whose process
 *   dies stops heartbeating and pg-boss retries or fails it after JOB_HEARTBEAT_SECONDS;
 * - every attempt is recorded in job_runs (the platform's history) with metrics and a log line.
 */
export class JobScheduler {
  private readonly jobs = new Map<JobName, { handler: JobHandler; options: JobOptions }>();
  private readonly runs = new JobRunRepository();
  private readonly metrics: JobMetrics;
  private readonly logger: Logger;
  private readonly worker: string;
  private boss: PgBoss | null = null;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: JobSchedulerOptions) {
    this.metrics = new JobMetrics(options.registry);
    this.logger = options.logger.child({ context: 'JobScheduler' });
    this.worker = options.worker ?? `${os.hostname()}:${process.pid}`;
  }

  /** Registers a job this process runs. Before start(). */
  register(name: JobName, handler: JobHandler, options: JobOptions = {}): this {
    if (this.boss) throw new JobSchedulerError('ALREADY_STARTED', `job ${name} registered after the scheduler started`);
    if (this.jobs.has(name)) throw new JobSchedulerError('DUPLICATE_JOB', `job ${name} is registered twice`);
    this.jobs.set(name, { handler, options });
    return this;
  }

  registered(): JobName[] {
    return [...this.jobs.keys()];
  }

  async start(): Promise<void> {
    if (this.boss) throw new JobSchedulerError('ALREADY_STARTED', 'the scheduler is already started');
    const { config } = this.options;
    const boss = new PgBoss({
      connectionString: this.options.databaseUrl,
      schema: config.SCHEDULER_SCHEMA,
      max: this.options.poolSize ?? 4,
      application_name: `churn-scheduler ${this.worker}`,
      superviseIntervalSeconds: config.JOB_SUPERVISE_INTERVAL_SECONDS,
      // Expiry and heartbeat failure run in the per-queue monitor pass, which one process claims at
      // most every monitorIntervalSeconds (60 by default; boss.js #monitor): without this a killed
      // attempt would wait for that claim, not for the supervise interval.
      monitorIntervalSeconds: config.JOB_SUPERVISE_INTERVAL_SECONDS,
      cronMonitorIntervalSeconds: this.options.cronIntervalSeconds ?? 30,
      cronWorkerIntervalSeconds: this.options.cronIntervalSeconds ?? 5,
      ...(this.options.enqueueOnly ? { supervise: false, schedule: false } : {}),
    });
    boss.on('error', (error) => this.logger.error({ err: error }, 'pg-boss error'));
    boss.on('warning', (warning) => this.logger.warn({ warning }, 'pg-boss warning'));
    await boss.start();
    this.boss = boss;
    if (this.options.enqueueOnly) return;
    await this.seedLastSuccess();

    await boss.createQueue(ABANDONED_QUEUE, { retryLimit: 0 });
    await boss.work(ABANDONED_QUEUE, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: this.polling() }, async (jobs) => {
      for (const job of jobs) await this.recordAbandoned(job as JobWithMetadata<unknown>);
    });

    for (const [name, { options }] of this.jobs) {
      const queue = {
        retryLimit: config.JOB_RETRY_LIMIT,
        retryDelay: config.JOB_RETRY_DELAY_SECONDS,
        retryBackoff: true,
        expireInSeconds: options.maxRunSeconds ?? 3600,
        heartbeatSeconds: config.JOB_HEARTBEAT_SECONDS,
        deadLetter: ABANDONED_QUEUE,
      };
      // createQueue does nothing for a queue that exists (create_queue: ON CONFLICT DO NOTHING), so the
      // options are applied again with updateQueue: a changed JOB_RETRY_LIMIT takes effect on restart.
      await boss.createQueue(name, { ...queue, policy: 'singleton' });
      await boss.updateQueue(name, queue);
      const cron = scheduleOf(config, name);
      if (cron === null) {
        await boss.unschedule(name);
        this.logger.info({ job: name }, 'job has no schedule; it runs only when started by hand');
      } else {
        // `missed: once`: occurrences that fell due while no process ran (a deploy, an outage) give one
        // run when one is back, not one per occurrence and not none (pg-boss plans.js, SCHEDULE_MISSED_POLICIES).
        await boss.schedule(name, cron, { trigger: 'schedule' }, { tz: config.SCHEDULER_TIMEZONE, missed: 'once' });
        this.metrics.expectedInterval.set({ job: name }, tickIntervalSeconds(cron, config.SCHEDULER_TIMEZONE));
        this.logger.info({ job: name, cron, tz: config.SCHEDULER_TIMEZONE }, 'job scheduled');
      }
      await boss.work(name, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: this.polling() }, async (jobs) => {
        for (const job of jobs) await this.track(this.attempt(name, job as JobWithMetadata<JobData | null>));
      });
    }
  }

  /** Starts a run now (`churn jobs run`, the API, tests); returns its run id. */
  async runNow(name: JobName, params: Record<string, string> = {}): Promise<string> {
    const boss = this.requireStarted();
    // A queue exists once a process that runs the job has started; without one the run would wait
    // unseen, so it is refused with what to start.
    if ((await boss.getQueue(name)) === null) {
      throw new JobSchedulerError(
        'UNKNOWN_JOB',
        `no process runs ${name} on this database (schema ${this.options.config.SCHEDULER_SCHEMA}) yet: start the one that hosts it (monitoring, or churn jobs worker for rescore and retrain)`,
      );
    }
    const id = await boss.send(name, { trigger: 'manual', params } satisfies JobData);
    if (id === null) throw new JobSchedulerError('UNKNOWN_JOB', `pg-boss refused a run of ${name}`);
    return id;
  }

  /** Stops taking work, lets attempts in hand finish (within timeoutMs), and closes pg-boss's pool. */
  async stop(timeoutMs = 10_000): Promise<void> {
    const boss = this.boss;
    if (!boss) return;
    this.boss = null;
    await boss.stop({ graceful: true, timeout: timeoutMs });
    await Promise.allSettled([...this.inFlight]);
  }

  private polling(): number {
    return this.options.pollingIntervalSeconds ?? 2;
  }

  private requireStarted(): PgBoss {
    if (!this.boss) throw new JobSchedulerError('NOT_STARTED', 'the scheduler is not started');
    return this.boss;
  }

  private async track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    try {
      return await work;
    } finally {
      this.inFlight.delete(work);
    }
  }

  private async seedLastSuccess(): Promise<void> {
    for (const row of await this.runs.lastSuccesses(this.options.database)) {
      this.metrics.lastSuccess.set({ job: row.job }, row.finished_at.getTime() / 1000);
    }
  }

  /** One attempt: recorded before it starts and when it ends; a throw hands the job back to pg-boss to retry or fail. */
  private async attempt(name: JobName, job: JobWithMetadata<JobData | null>): Promise<void> {
    const registered = this.jobs.get(name)!;
    const trigger: JobRunTrigger = job.data?.trigger === 'manual' ? 'manual' : 'schedule';
    const ids = { job: name, run_id: job.id, attempt: job.retryCount, trigger };
    const run = await this.runs.start(this.options.database, {
      run_id: job.id,
      job: name,
      trigger,
      attempt: job.retryCount,
      worker: this.worker,
      scheduled_at: job.createdOn,
    });
    if (run === null) {
      // Its effect is recorded as done: acknowledge without running it again.
      this.metrics.runs.inc({ job: name, status: 'skipped' });
      this.logger.warn(ids, 'job run already succeeded; not run again');
      return;
    }
    const logger = this.options.logger.child({ context: 'job', ...ids });
    logger.info('job run started');
    this.metrics.running.inc({ job: name });
    const stopTimer = this.metrics.duration.startTimer({ job: name });
    try {
      const result = await registered.handler({
        runId: job.id,
        job: name,
        attempt: job.retryCount,
        trigger,
        scheduledAt: job.createdOn,
        signal: job.signal,
        params: job.data?.params ?? {},
        logger,
      });
      await this.runs.finish(this.options.database, job.id, job.retryCount, 'succeeded', result ?? {}, null);
      stopTimer({ status: 'succeeded' });
      this.metrics.runs.inc({ job: name, status: 'succeeded' });
      this.metrics.lastSuccess.set({ job: name }, Date.now() / 1000);
      logger.info({ result: result ?? {} }, 'job run succeeded');
    } catch (error) {
      const permanent = error instanceof PermanentJobError;
      const last = permanent || job.retryCount >= job.retryLimit;
      const status = last ? 'failed' : 'retrying';
      const message = error instanceof Error ? error.message : String(error);
      await this.runs.finish(this.options.database, job.id, job.retryCount, status, null, message);
      stopTimer({ status });
      this.metrics.runs.inc({ job: name, status });
      if (last) this.metrics.lastFailure.set({ job: name }, Date.now() / 1000);
      logger.error({ err: error, status }, last ? 'job run failed' : 'job attempt failed; pg-boss retries it');
      if (permanent) {
        // Settled here as cancelled: pg-boss's fail() retries while retries are left, which would spend
        // them on an error no retry fixes; a cancelled job is neither retried nor dead-lettered.
        await this.requireStarted().cancel(name, job.id);
        return;
      }
      throw error;
    } finally {
      this.metrics.running.dec({ job: name });
    }
  }

  /** A job pg-boss failed for good: a run still `running` or `retrying` lost its worker. */
  private async recordAbandoned(job: JobWithMetadata<unknown>): Promise<void> {
    const runId = job.sourceId ?? job.id;
    const name = job.sourceName ?? 'unknown';
    const run = await this.runs.abandon(
      this.options.database,
      runId,
      'the attempt stopped without finishing (its process was killed or lost the database) and no retries are left',
    );
    if (run === null) return;
    this.metrics.runs.inc({ job: run.job, status: 'abandoned' });
    this.metrics.lastFailure.set({ job: run.job }, Date.now() / 1000);
    this.logger.error({ job: name, run_id: runId, attempt: run.attempt }, 'job run failed: its worker was lost and no retries are left');
  }
}
