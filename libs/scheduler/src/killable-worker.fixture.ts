/**
 * A process the scheduler's integration spec kills with SIGKILL in the middle of a run. It starts a
 * scheduler whose `rescore` job records that its attempt started (a row in the spec's marker table)
 * and then never finishes; the spec waits for that row, kills this process and checks what another
 * scheduler makes of the abandoned run. Started as `node killable-worker.fixture.js` with the
 * scheduler's variables, DATABASE_URL, KILL_SPEC_WORKER and KILL_SPEC_TABLE in its environment.
 */
import { parseConfig } from '@churn/config';
import { Database } from '@churn/db';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { JobScheduler } from './job-scheduler';
import { schedulerEnvSchema } from './scheduler-config';

async function main(): Promise<void> {
  const env = process.env;
  const databaseUrl = env['DATABASE_URL']!;
  const table = env['KILL_SPEC_TABLE']!;
  const logger = createLogger({ service: 'killable-worker', level: 'warn' });
  const registry = createMetricsRegistry('killable-worker');
  const database = new Database({ url: databaseUrl, poolSize: 2, applicationName: 'killable-worker' }, logger, registry);
  const scheduler = new JobScheduler({
    config: parseConfig(schedulerEnvSchema, env),
    databaseUrl,
    database,
    logger,
    registry,
    worker: env['KILL_SPEC_WORKER']!,
    pollingIntervalSeconds: 0.5,
  });
  scheduler.register('rescore', async (job) => {
    await database.query('killable.started', `INSERT INTO ${table} (run_id, attempt) VALUES ($1, $2)`, [job.runId, job.attempt]);
    await new Promise(() => undefined);
  });
  await scheduler.start();
  const runId = await scheduler.runNow('rescore');
  process.stdout.write(`${runId}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
