import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '@churn/config';
import { Database, JobRunRepository, runMigrations, type JobRunRow } from '@churn/db';
import { createLogger, createMetricsRegistry, type Registry } from '@churn/observability';
import { eventually, testInfra, uniqueId } from '@churn/testing';
import { PermanentJobError } from './job-errors';
import { JobScheduler, type JobHandler } from './job-scheduler';
import type { JobName } from './job-names';
import { schedulerEnvSchema } from './scheduler-config';

const logger = createLogger({ service: 'scheduler-spec', level: (process.env['TEST_LOG_LEVEL'] as 'error' | undefined) ?? 'silent' });
const runs = new JobRunRepository();

describe('JobScheduler on pg-boss and the real Postgres', () => {
  let db: Database;
  const started: JobScheduler[] = [];
  const children: ChildProcess[] = [];

  /** Every test gets its own pg-boss schema, so no test sees another's queues, schedules or jobs. */
  function env(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      SCHEDULER_SCHEMA: uniqueId('pgboss').replace(/-/g, '_'),
      JOB_RETRY_DELAY_SECONDS: '1',
      JOB_HEARTBEAT_SECONDS: '10',
      JOB_SUPERVISE_INTERVAL_SECONDS: '1',
      ...overrides,
    };
  }

  async function scheduler(
    schedulerEnv: Record<string, string>,
    worker: string,
    jobs: Partial<Record<JobName, JobHandler>>,
    registry: Registry = createMetricsRegistry('scheduler-spec'),
  ): Promise<JobScheduler> {
    const s = new JobScheduler({
      config: parseConfig(schedulerEnvSchema, schedulerEnv),
      databaseUrl: testInfra().databaseUrl,
      database: db,
      logger,
      registry,
      worker,
      cronIntervalSeconds: 1,
      pollingIntervalSeconds: 0.5,
    });
    for (const [name, handler] of Object.entries(jobs)) s.register(name as JobName, handler);
    await s.start();
    started.push(s);
    return s;
  }

  const runsOf = async (workerPrefix: string): Promise<JobRunRow[]> =>
    await db.query<JobRunRow>('spec.job_runs', 'SELECT * FROM job_runs WHERE worker LIKE $1 ORDER BY scheduled_at', [`${workerPrefix}%`]);

  before(async () => {
    await runMigrations(testInfra().databaseUrl, logger);
    db = new Database({ url: testInfra().databaseUrl, poolSize: 4, applicationName: 'scheduler-spec' }, logger, createMetricsRegistry('scheduler-spec-db'));
    await db.query('spec.create_marks', 'CREATE TABLE IF NOT EXISTS scheduler_spec_marks (run_id text NOT NULL, attempt integer NOT NULL)');
    await db.query('spec.create_effects', 'CREATE TABLE IF NOT EXISTS scheduler_spec_effects (run_id text PRIMARY KEY, applied_by text NOT NULL)');
  });
  after(async () => {
    for (const child of children) child.kill('SIGKILL');
    await Promise.all(started.map((s) => s.stop(2000)));
    await db.close();
  });

  it('runs a schedule once per tick with two instances on one database', { timeout: 180_000 }, async () => {
    // Every second, but pg-boss files occurrences in 60-second throttle slots: one job per slot, whichever
    // instance's cron pass files it first. A pass files every slot its 60-second window touches (so two at
    // once when the window straddles a minute), which is why the runs' own creation times cannot tell a
    // duplicate from two slots: the slots pg-boss filed can. Both instances run a pass every second and
    // work the queue.
    const shared = env({ SCHEDULE_RESCORE: '* * * * * *' });
    const schema = shared['SCHEDULER_SCHEMA']!;
    const prefix = uniqueId('two');
    const handler: JobHandler = async (job) => ({ tick: job.scheduledAt.toISOString() });
    await Promise.all([scheduler(shared, `${prefix}-a`, { rescore: handler }), scheduler(shared, `${prefix}-b`, { rescore: handler })]);

    const done = await eventually(
      'two scheduled runs',
      async () => {
        const rows = (await runsOf(prefix)).filter((r) => r.status === 'succeeded');
        return rows.length >= 2 ? rows : undefined;
      },
      150_000,
    );
    // Read in this order: a rescore job exists only once the send-it job of its slot was filed, so every
    // job counted here has its slot among those read after it.
    const jobs = await db.query<{ id: string }>('spec.rescore_jobs', `SELECT id::text FROM ${schema}.job WHERE name = 'rescore'`);
    const filed = await db.query<{ slot: string; jobs: number }>(
      'spec.send_it_slots',
      `SELECT data->>'slot' AS slot, count(*)::int AS jobs FROM ${schema}.job WHERE name = '__pgboss__send-it' GROUP BY 1`,
    );
    assert.deepEqual(
      filed.filter((f) => f.jobs !== 1),
      [],
      'each slot filed once, by whichever instance got there first',
    );
    assert.ok(jobs.length <= filed.length, `one rescore job per filed slot: ${jobs.length} jobs for ${filed.length} slots`);
    const all = await runsOf(prefix);
    assert.equal(new Set(all.map((r) => r.run_id)).size, all.length, 'one run per job');
    assert.ok(
      all.every((r) => jobs.some((j) => j.id === r.run_id)),
      'every run is one of the jobs pg-boss sent',
    );
    assert.ok(done.every((r) => r.trigger === 'schedule' && r.attempt === 0 && r.job === 'rescore'));
  });

  it('retries a failed attempt and records the run once, with its attempts', async () => {
    const prefix = uniqueId('retry');
    const registry = createMetricsRegistry('scheduler-spec-retry');
    const s = await scheduler(
      env(),
      prefix,
      {
        retrain: async (job) => {
          if (job.attempt === 0) throw new Error('trainer unavailable');
          return { version: `v-${job.runId}` };
        },
      },
      registry,
    );
    const runId = await s.runNow('retrain');
    const run = await eventually(
      'the retried run to succeed',
      async () => {
        const row = await runs.findById(db, runId);
        return row?.status === 'succeeded' ? row : undefined;
      },
      30_000,
    );
    assert.equal(run.attempt, 1);
    assert.deepEqual(run.result, { version: `v-${runId}` });
    assert.equal(run.error, null);
    const counts = await registry.getSingleMetricAsString('churn_job_runs_total');
    assert.match(counts, /churn_job_runs_total\{job="retrain",status="retrying"[^}]*\} 1/);
    assert.match(counts, /churn_job_runs_total\{job="retrain",status="succeeded"[^}]*\} 1/);
  });

  it('fails a run at once on a permanent error and after the last retry on any other', async () => {
    const prefix = uniqueId('fail');
    const s = await scheduler(env({ JOB_RETRY_LIMIT: '1' }), prefix, {
      'promotion-gate': async () => {
        throw new PermanentJobError('NO_CHALLENGER', 'no shadow challenger to compare');
      },
      retrain: async () => {
        throw new Error('trainer crashed');
      },
    });
    const permanent = await s.runNow('promotion-gate');
    const transient = await s.runNow('retrain');
    const failed = await eventually(
      'both runs to fail',
      async () => {
        const rows = await Promise.all([runs.findById(db, permanent), runs.findById(db, transient)]);
        return rows.every((r) => r?.status === 'failed') ? (rows as JobRunRow[]) : undefined;
      },
      30_000,
    );
    assert.deepEqual(
      failed.map((r) => [r.attempt, r.error]),
      [
        [0, 'no shadow challenger to compare'],
        [1, 'trainer crashed'],
      ],
    );
  });

  describe('a worker killed mid-run (kill -9)', () => {
    const fixture = path.join(__dirname, 'killable-worker.fixture.js');

    async function killMidRun(schedulerEnv: Record<string, string>, worker: string): Promise<string> {
      const child = spawn(process.execPath, [fixture], {
        env: { ...process.env, ...schedulerEnv, DATABASE_URL: testInfra().databaseUrl, KILL_SPEC_WORKER: worker, KILL_SPEC_TABLE: 'scheduler_spec_marks' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const runId = await eventually(
        'the killable worker to start its run',
        async () => {
          const id = out.trim();
          if (!id) return undefined;
          const marks = await db.query<{ attempt: number }>('spec.marks', 'SELECT attempt FROM scheduler_spec_marks WHERE run_id = $1', [id]);
          return marks.length > 0 ? id : undefined;
        },
        30_000,
      );
      assert.equal((await runs.findById(db, runId))?.status, 'running');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      return runId;
    }

    it('is retried by another instance and its effect applied once', { timeout: 90_000 }, async () => {
      const shared = env();
      const prefix = uniqueId('kill');
      const runId = await killMidRun(shared, `${prefix}-killed`);
      // The survivor applies the run's effect keyed by run id, as every platform job does.
      await scheduler(shared, `${prefix}-survivor`, {
        rescore: async (job) => {
          await db.query('spec.effect', 'INSERT INTO scheduler_spec_effects (run_id, applied_by) VALUES ($1, $2) ON CONFLICT (run_id) DO NOTHING', [
            job.runId,
            'survivor',
          ]);
          return { applied: true };
        },
      });
      const run = await eventually(
        'the survivor to finish the run',
        async () => {
          const row = await runs.findById(db, runId);
          return row?.status === 'succeeded' ? row : undefined;
        },
        60_000,
      );
      assert.equal(run.attempt, 1, 'the killed attempt was 0; the survivor ran attempt 1');
      assert.equal(run.worker, `${prefix}-survivor`);
      const effects = await db.query<{ applied_by: string }>('spec.effects', 'SELECT applied_by FROM scheduler_spec_effects WHERE run_id = $1', [runId]);
      assert.deepEqual(effects, [{ applied_by: 'survivor' }]);
      const attempts = await db.query<{ attempt: number }>('spec.marks', 'SELECT attempt FROM scheduler_spec_marks WHERE run_id = $1', [runId]);
      assert.deepEqual(attempts, [{ attempt: 0 }]);
    });

    it('is marked failed when no retries are left', { timeout: 90_000 }, async () => {
      const shared = env({ JOB_RETRY_LIMIT: '0' });
      const prefix = uniqueId('lost');
      const runId = await killMidRun(shared, `${prefix}-killed`);
      // This instance works no `rescore`: it only supervises and reads the dead letters.
      await scheduler(shared, `${prefix}-other`, {});
      const run = await eventually(
        'the abandoned run to be marked failed',
        async () => {
          const row = await runs.findById(db, runId);
          return row?.status === 'failed' ? row : undefined;
        },
        60_000,
      );
      assert.equal(run.attempt, 0);
      assert.match(run.error ?? '', /killed or lost the database/);
      const effects = await db.query('spec.effects', 'SELECT 1 FROM scheduler_spec_effects WHERE run_id = $1', [runId]);
      assert.equal(effects.length, 0);
    });
  });
});
