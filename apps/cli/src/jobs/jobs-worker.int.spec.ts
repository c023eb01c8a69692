import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Database, JobRunRepository, type JobRunRow } from '@churn/db';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { eventuallyWhere, testInfra, uniqueId, until } from '@churn/testing';

const CLI = path.resolve(__dirname, '../main.js');
const PORT = Number(process.env['CHURN_TEST_SERVICE_PORT_BASE'] ?? 13000) + 60;

describe('churn jobs worker, jobs run and jobs runs', () => {
  // Its own pg-boss schema: no other process of the test stack works these queues.
  const env = {
    ...process.env,
    KAFKA_BROKERS: testInfra().kafkaBrokers,
    DATABASE_URL: testInfra().databaseUrl,
    SCHEDULER_SCHEMA: uniqueId('pgboss_cli').replace(/-/g, '_'),
    JOBS_WORKER_PORT: String(PORT),
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    RETRAIN_MIN_ROWS: '1000000',
    RETRAIN_WORK_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'churn-jobs-spec-')),
  };
  const churn = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', timeout: 60_000 });
  let worker: ChildProcess;
  let db: Database;

  /** Polls the run history until the run has that status (no fixed sleep). */
  async function runEnding(runId: string, status: JobRunRow['status']): Promise<JobRunRow> {
    const runs = new JobRunRepository();
    const run = await eventuallyWhere(
      `run ${runId} to end ${status}`,
      () => runs.findById(db, runId),
      (r) => r?.status === status,
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    return run!;
  }

  before(async () => {
    db = new Database(
      { url: testInfra().databaseUrl, poolSize: 2, applicationName: 'jobs-cli-spec' },
      createLogger({ service: 'spec', level: 'silent' }),
      createMetricsRegistry('spec'),
    );
    worker = spawn(process.execPath, [CLI, 'jobs', 'worker'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    await until(
      'the jobs worker to become ready',
      async () =>
        (await fetch(`http://127.0.0.1:${PORT}/health/ready`).then(
          (r) => r.status,
          () => 0,
        )) === 200,
      { timeoutMs: 60_000, intervalMs: 200 },
    );
  });

  after(async () => {
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.kill('SIGTERM');
    await exited;
    await db.close();
  });

  it('runs a rescore started by hand in the worker, records it, lists it and exports its metrics', async () => {
    // As of a time before any customer of the test stack existed: the run is quick and publishes nothing.
    const asOf = '2000-01-01T00:00:00.000Z';
    const queued = churn('jobs', 'run', 'rescore', '--param', `as_of=${asOf}`);
    assert.equal(queued.status, 0, queued.stderr);
    const runId = /run (\S+) queued/.exec(queued.stdout)?.[1];
    assert.ok(runId, queued.stdout);
    const run = await runEnding(runId, 'succeeded');
    assert.equal(run.trigger, 'manual');
    assert.deepEqual(run.result, { as_of: asOf, customers: 0, emitted: 0, cancelled: 0, incomplete: 0 });

    const listed = churn('jobs', 'runs', '--job', 'rescore', '--limit', '5');
    assert.equal(listed.status, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`rescore\\s+succeeded\\s+attempt 0\\s+manual .* ${runId} .*"customers":0`));

    const metrics = await (await fetch(`http://127.0.0.1:${PORT}/metrics`)).text();
    assert.match(metrics, /churn_job_runs_total\{job="rescore",status="succeeded"[^}]*\} 1/);
  });

  it('refuses an unknown path and a method other than GET as problem+json, like the services', async () => {
    const missing = await fetch(`http://127.0.0.1:${PORT}/v1/nothing?x=1`);
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('content-type'), 'application/problem+json');
    assert.deepEqual(await missing.json(), {
      type: 'urn:churn-radar:problem:NOT_FOUND',
      title: 'Not Found',
      status: 404,
      detail: 'no such route: the worker serves /metrics, /health/live and /health/ready',
      instance: '/v1/nothing',
      code: 'NOT_FOUND',
    });
    const posted = await fetch(`http://127.0.0.1:${PORT}/metrics`, { method: 'POST' });
    assert.equal(posted.status, 405);
    assert.equal(posted.headers.get('allow'), 'GET');
    assert.equal(((await posted.json()) as { code: string }).code, 'METHOD_NOT_ALLOWED');
  });

  it('fails a retrain at once, without retries, when too few customers are labelled', async () => {
    const queued = churn('jobs', 'run', 'retrain');
    assert.equal(queued.status, 0, queued.stderr);
    const runId = /run (\S+) queued/.exec(queued.stdout)![1]!;
    const run = await runEnding(runId, 'failed');
    assert.equal(run.attempt, 0, 'a permanent error is not retried');
    assert.match(run.error ?? '', /need 1000000$/);
  });

  it('refuses an unknown job, a job no process runs and a bad status, naming them', () => {
    const unknown = churn('jobs', 'run', 'reindex');
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /unknown job "reindex"; jobs: rescore, close-label-windows, retrain, promotion-gate, report-daily, report-weekly/);
    const nobody = spawnSync(process.execPath, [CLI, 'jobs', 'run', 'retrain'], {
      env: { ...env, SCHEDULER_SCHEMA: uniqueId('pgboss_none').replace(/-/g, '_') },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(nobody.status, 1);
    assert.match(nobody.stderr, /no process runs retrain on this database \(schema pgboss_none_\w+\) yet: start the one that hosts it/);
    const status = churn('jobs', 'runs', '--status', 'lost');
    assert.equal(status.status, 1);
    assert.match(status.stderr, /--status must be one of running, succeeded, retrying, failed/);
  });
});
