import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Topics } from '@churn/contracts';
import { JobRunRepository, type Database, type JobRunRow } from '@churn/db';
import { testInfra, TopicProbe, uniqueId, until } from '@churn/testing';
import { startChaosPlatform, type ChaosPlatform } from './chaos-platform';
import { publishEvents, scenarioDatabase, scenarioInput, waitForQuiescence } from './chaos-scenario';

const CLI = path.resolve(__dirname, '../main.js');

/**
 * kill -9 of the `churn jobs worker` that holds a rescore run, halfway through it, with a second worker
 * beside it: the run is retried by the other worker and its effect — one prediction per customer as of
 * the run's time — is applied once, though part of the vectors reached the scorer twice.
 */
describe('chaos: the jobs worker holding a rescore killed with SIGKILL mid-run', () => {
  let platform: ChaosPlatform;
  let db: Database;
  let probe: TopicProbe;
  const workers = new Map<number, ChildProcess>();
  // Slot 5 of chaos-platform.ts: the services take its first five ports, the workers two after them.
  const base = Number(process.env['CHURN_TEST_SERVICE_PORT_BASE'] ?? 13000) + 100 + 5 * 10 + 6;
  const env = {
    ...process.env,
    KAFKA_BROKERS: testInfra().kafkaBrokers,
    DATABASE_URL: testInfra().databaseUrl,
    SCHEDULER_SCHEMA: uniqueId('pgboss_chaos').replace(/-/g, '_'),
    // Small steps with a pause: the run takes seconds, so it can be killed in the middle.
    RESCORE_BATCH_SIZE: '10',
    RESCORE_PAUSE_MS: '250',
    JOB_HEARTBEAT_SECONDS: '10',
    JOB_SUPERVISE_INTERVAL_SECONDS: '1',
    JOB_RETRY_DELAY_SECONDS: '1',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
  };

  function startWorker(port: number): ChildProcess {
    const child = spawn(process.execPath, [CLI, 'jobs', 'worker'], { env: { ...env, JOBS_WORKER_PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
    workers.set(child.pid!, child);
    return child;
  }

  before(async () => {
    platform = await startChaosPlatform(5);
    db = scenarioDatabase('chaos-jobs-worker');
    probe = await TopicProbe.start([Topics.customerFeatures]);
  });
  after(async () => {
    for (const child of workers.values()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await probe?.stop();
    await platform?.stop();
    await db?.close();
  });

  it('retries the run on the other worker and stores one prediction per customer', { timeout: 300_000 }, async () => {
    const input = scenarioInput('jobs', 300, 80);
    await publishEvents(input.events);
    await waitForQuiescence(platform, db, input);

    for (const port of [base, base + 1]) startWorker(port);
    for (const port of [base, base + 1]) {
      await until(
        `worker on ${port} ready`,
        async () =>
          (await fetch(`http://127.0.0.1:${port}/health/ready`).then(
            (r) => r.status,
            () => 0,
          )) === 200,
        60_000,
      );
    }
    const asOf = new Date().toISOString();
    const prefix = `rescore:${asOf}:`;
    const queued = spawnSync(process.execPath, [CLI, 'jobs', 'run', 'rescore', '--param', `as_of=${asOf}`], { env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(queued.status, 0, queued.stderr);
    const runId = /run (\S+) queued/.exec(queued.stdout)![1]!;

    // Halfway: the scenario's customers are a share of the active ones, so wait on vectors published.
    const runs = new JobRunRepository();
    let holder: JobRunRow | null = null;
    await until(
      'the rescore to be under way',
      async () => {
        holder = await runs.findById(db, runId);
        return holder?.status === 'running' && probe.messages.filter((m) => m.value?.includes(prefix)).length >= 20;
      },
      { timeoutMs: 120_000, intervalMs: 100 },
    );
    const pid = Number(holder!.worker.split(':').pop());
    const victim = workers.get(pid);
    assert.ok(victim, `the run is held by ${holder!.worker}, one of this spec's workers`);
    const exited = new Promise((resolve) => victim.once('exit', resolve));
    victim.kill('SIGKILL');
    await exited;

    let run: JobRunRow | null = null;
    await until(
      'the other worker to finish the run',
      async () => {
        run = await runs.findById(db, runId);
        return run?.status === 'succeeded';
      },
      { timeoutMs: 180_000, intervalMs: 250 },
    );
    const done = run! as JobRunRow;
    assert.equal(done.attempt, 1, 'attempt 0 was killed; the other worker ran attempt 1');
    assert.notEqual(done.worker, holder!.worker);
    const emitted = Number((done.result as { emitted: number }).emitted);
    assert.ok(emitted >= input.ids.length, `${emitted} vectors emitted, the scenario has ${input.ids.length} customers`);

    // Part of the vectors went out twice (the killed attempt's, then the retry's) ...
    const published = probe.messages.filter((m) => m.value?.includes(prefix));
    assert.ok(published.length > emitted, `${published.length} vectors published for ${emitted} customers: the killed attempt had published some`);
    // ... and each customer has one prediction as of the run's time, the scorer's key being the source id.
    await until(
      'the scorer to score every vector of the run',
      async () => {
        const [row] = await db.query<{ n: string }>(
          'chaos.rescore_predictions',
          "SELECT count(*) AS n FROM predictions WHERE source_event_id LIKE $1 AND role = 'champion'",
          [`${prefix}%`],
        );
        return Number(row!.n) >= emitted;
      },
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    const [counts] = await db.query<{ n: string; customers: string }>(
      'chaos.rescore_counts',
      "SELECT count(*) AS n, count(DISTINCT customer_id) AS customers FROM predictions WHERE source_event_id LIKE $1 AND role = 'champion'",
      [`${prefix}%`],
    );
    assert.deepEqual([Number(counts!.n), Number(counts!.customers)], [emitted, emitted]);
  });
});
