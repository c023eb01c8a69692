import type { Command } from 'commander';
import { databaseEnvSchema, parseConfig } from '@churn/config';
import { Database, JobRunRepository, type JobRunRow, type JobRunStatus } from '@churn/db';
import { createKafka, TopicProducer } from '@churn/kafka';
import { createMetricsRegistry } from '@churn/observability';
import { isJobName, JOB_NAMES, JobScheduler, schedulerEnvSchema } from '@churn/scheduler';
import type { CliContext } from '../cli-context';
import { jobsWorkerConfigSchema } from '../jobs/worker-config';
import { serveWorkerHttp } from '../jobs/worker-http';
import { registerWorkerJobs } from '../jobs/worker-jobs';
import { ShutdownSignals } from './shutdown-signals';

const STATUSES: readonly JobRunStatus[] = ['running', 'succeeded', 'retrying', 'failed'];

function jobNameOf(value: string): (typeof JOB_NAMES)[number] {
  if (!isJobName(value)) throw new Error(`unknown job "${value}"; jobs: ${JOB_NAMES.join(', ')}`);
  return value;
}

/** One line per run: the operator's view of `GET /v1/jobs/runs`. */
export function formatRun(run: JobRunRow): string {
  const took = run.finished_at ? `${((run.finished_at.getTime() - run.started_at.getTime()) / 1000).toFixed(1)} s` : '-';
  const detail = run.error ?? (run.result ? JSON.stringify(run.result) : '');
  return [
    run.started_at.toISOString(),
    run.job.padEnd(19),
    run.status.padEnd(9),
    `attempt ${run.attempt}`,
    run.trigger.padEnd(8),
    took.padStart(9),
    run.run_id,
    detail,
  ].join('  ');
}

export function registerJobsCommand(program: Command, context: CliContext): void {
  const jobs = program.command('jobs').description('the scheduled jobs: run the worker, start a run, read the run history');

  jobs
    .command('worker')
    .description('works the rescore and retrain jobs (their schedules: SCHEDULE_RESCORE, SCHEDULE_RETRAIN); /metrics on JOBS_WORKER_PORT')
    .action(async () => {
      const config = parseConfig(jobsWorkerConfigSchema, context.env);
      const signals = new ShutdownSignals(context.logger);
      const registry = createMetricsRegistry('churn-jobs-worker');
      const database = new Database(
        { url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, applicationName: 'churn-jobs-worker' },
        context.logger,
        registry,
      );
      const producer = new TopicProducer(createKafka(config, 'churn-jobs-worker', context.logger), context.logger, registry);
      await producer.connect();
      const scheduler = new JobScheduler({ config, databaseUrl: config.DATABASE_URL, database, logger: context.logger, registry });
      registerWorkerJobs(scheduler, config, database, producer, context.logger);
      const server = await serveWorkerHttp(config.JOBS_WORKER_PORT, registry, database);
      try {
        await scheduler.start();
        context.logger.info({ port: server.port, jobs: scheduler.registered() }, 'jobs worker started');
        await signals.whenRequested();
      } finally {
        // In-flight attempts get the shutdown budget; one that does not finish is retried elsewhere.
        await scheduler.stop(30_000);
        await server.close();
        await producer.disconnect();
        await database.close();
      }
    });

  jobs
    .command('run <job>')
    .description(`starts a run of a job now, on whichever process works it (${JOB_NAMES.join(', ')})`)
    .option('--param <key=value...>', 'parameters for the run (rescore: as_of=ISO time)')
    .action(async (name: string, options: { param?: string[] }) => {
      const job = jobNameOf(name);
      const params = Object.fromEntries(
        (options.param ?? []).map((p) => {
          const at = p.indexOf('=');
          if (at < 1) throw new Error(`--param ${p}: expected key=value`);
          return [p.slice(0, at), p.slice(at + 1)];
        }),
      );
      const config = parseConfig(databaseEnvSchema.extend(schedulerEnvSchema.shape), context.env);
      const registry = createMetricsRegistry('churn-cli');
      const database = new Database({ url: config.DATABASE_URL, poolSize: 1, applicationName: 'churn-jobs-run' }, context.logger, registry);
      // Registers nothing: it only enqueues; the process that registered the job works it.
      const scheduler = new JobScheduler({
        config,
        databaseUrl: config.DATABASE_URL,
        database,
        logger: context.logger,
        registry,
        poolSize: 1,
        enqueueOnly: true,
      });
      try {
        await scheduler.start();
        const runId = await scheduler.runNow(job, params);
        process.stdout.write(`${job}: run ${runId} queued; bin/churn jobs runs --job ${job} shows how it ends\n`);
      } finally {
        await scheduler.stop();
        await database.close();
      }
    });

  jobs
    .command('runs')
    .description('the run history, newest first: job, status, attempt, trigger, duration, run id, result or error')
    .option('--job <name>', 'one job')
    .option('--status <status>', `one status (${STATUSES.join(', ')})`)
    .option('--limit <n>', 'at most this many runs', '20')
    .action(async (options: { job?: string; status?: string; limit: string }) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new Error('--limit must be a whole number from 1 to 500');
      if (options.status && !STATUSES.includes(options.status as JobRunStatus)) throw new Error(`--status must be one of ${STATUSES.join(', ')}`);
      const job = options.job ? jobNameOf(options.job) : undefined;
      const { DATABASE_URL } = parseConfig(databaseEnvSchema, context.env);
      const database = new Database({ url: DATABASE_URL, poolSize: 1, applicationName: 'churn-jobs-runs' }, context.logger, createMetricsRegistry('churn-cli'));
      try {
        const runs = await new JobRunRepository().list(database, { job, status: options.status as JobRunStatus | undefined, limit });
        if (runs.length === 0) process.stdout.write('no runs yet\n');
        for (const run of runs) process.stdout.write(`${formatRun(run)}\n`);
      } finally {
        await database.close();
      }
    });
}
