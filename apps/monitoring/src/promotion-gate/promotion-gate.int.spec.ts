import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jwtVerify } from 'jose';
import { modelAlertSchema, type ModelAssignments, Topics } from '@churn/contracts';
import { Database, JobRunRepository, type JobRunRow } from '@churn/db';
import { MonitoringRepository, OutcomeRepository } from '@churn/monitoring-data';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { JobScheduler, schedulerEnvSchema } from '@churn/scheduler';
import { startService, type RunningService } from '@churn/service-kit';
import {
  eventuallyWhere,
  monitoringAssignments,
  publishRegistry,
  serviceTestEnv,
  signTestToken,
  testInfra,
  TopicProbe,
  uniqueId,
  waitUntilHttpReady,
} from '@churn/testing';
import { parseConfig } from '@churn/config';
import { monitoringConfigSchema } from '../config';
import { configureMonitoringHttp } from '../http-setup';
import { MonitoringModule } from '../monitoring.module';
import { aPrediction } from '../monitoring-spec-fixtures';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const ACTIVE = fs.readFileSync(path.join(REPO, 'models', 'active'), 'utf8').trim();
const CARD = JSON.parse(fs.readFileSync(path.join(REPO, 'models', ACTIVE, 'model-card.json'), 'utf8')) as Record<string, unknown>;
const SECRET = 'promotion-gate-spec-secret-of-at-least-32-characters';
const DAY = 86_400_000;

/**
 * The scorer's `POST /v1/models/{v}/activate` on loopback, as strict as the scorer about the caller:
 * the token must verify with the shared secret and hold the admin role. It then makes the version
 * champion the way the scorer does: its change on `model-registry`, the subject as actor, the version
 * no longer shadow.
 */
async function startScorerStandIn(db: Database): Promise<{ url: string; activations: { version: string; actor: string }[]; close(): Promise<void> }> {
  const activations: { version: string; actor: string }[] = [];
  const server = http.createServer((req, res) => {
    void (async () => {
      res.setHeader('content-type', 'application/json');
      const version = /^\/v1\/models\/([\w.:-]+)\/activate$/.exec(req.url ?? '')?.[1];
      if (req.method !== 'POST' || !version) return void res.writeHead(404).end('{"error":"NOT_FOUND"}');
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!token) return void res.writeHead(401).end('{"error":"UNAUTHENTICATED"}');
      const { payload } = await jwtVerify(token, new TextEncoder().encode(SECRET)).catch(() => ({ payload: null }));
      if (!payload || typeof payload.exp !== 'number') return void res.writeHead(401).end('{"error":"UNAUTHENTICATED"}');
      if (!(payload['roles'] as string[] | undefined)?.includes('admin')) return void res.writeHead(403).end('{"error":"FORBIDDEN"}');
      const current = await monitoringAssignments(db);
      const shadow = current.shadow === version ? null : current.shadow;
      const rollout = current.rollout?.version === version ? null : current.rollout;
      await publishRegistry(db, [{ version, card: { ...CARD, version } }], { champion: version, shadow, rollout }, payload.sub!);
      activations.push({ version, actor: payload.sub! });
      res.end(JSON.stringify({ version, role: 'champion', activated_by: payload.sub }));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    activations,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('the promotion gate and the label windows, run by the scheduler in monitoring', () => {
  const logger = createLogger({ service: 'gate-spec', level: 'silent' });
  const schedulerEnv = { SCHEDULER_SCHEMA: uniqueId('pgboss_gate').replace(/-/g, '_'), JOB_RETRY_LIMIT: '0' };
  const runs = new JobRunRepository();
  let db: Database;
  let scorer: Awaited<ReturnType<typeof startScorerStandIn>>;
  let probe: TopicProbe;
  let sut: RunningService;
  let trigger: JobScheduler;
  let previous: ModelAssignments;

  before(async () => {
    db = new Database({ url: testInfra().databaseUrl, poolSize: 2, applicationName: 'gate-spec' }, logger, createMetricsRegistry('gate-spec'));
    scorer = await startScorerStandIn(db);
    probe = await TopicProbe.start([Topics.modelAlerts]);
    sut = await startService({
      name: 'monitoring',
      configSchema: monitoringConfigSchema,
      module: () => MonitoringModule,
      configure: configureMonitoringHttp,
      env: serviceTestEnv({
        ...schedulerEnv,
        MONITORING_LABEL_DELAY_DAYS: '0',
        MONITORING_REFRESH_INTERVAL_MS: '600000',
        AUTH_JWT_SECRET: SECRET,
        SCORER_URL: scorer.url,
        AUTO_PROMOTE: 'true',
        PROMOTION_GATE_MARGIN: '0.02',
        PROMOTION_GATE_MIN_OUTCOMES: '20',
        PROMOTION_GATE_BOOTSTRAP_SAMPLES: '1000',
      }),
    });
    await waitUntilHttpReady(sut.url);
    previous = await monitoringAssignments(db);
    // A process that only enqueues: monitoring, on the same pg-boss schema, works the queue.
    trigger = new JobScheduler({
      config: parseConfig(schedulerEnvSchema, schedulerEnv),
      databaseUrl: testInfra().databaseUrl,
      database: db,
      logger,
      registry: createMetricsRegistry('gate-spec-trigger'),
      enqueueOnly: true,
    });
    await trigger.start();
  });

  after(async () => {
    await trigger?.stop();
    // Leave monitoring's registry as it was for the specs after this one.
    if (sut && previous) await publishRegistry(db, [{ version: ACTIVE, card: CARD }], previous, undefined, { wait: false });
    await sut?.close();
    await probe?.stop();
    await scorer?.close();
    await db.close();
  });

  /**
   * 20 customers, every other one churned, scored 10 days before their outcome by both versions: the
   * champion says 0.5 to everyone (log-loss ln 2 ≈ 0.6931 each); the challenger says `hit` to the
   * churners and 1 − hit to the others (log-loss −ln hit each).
   */
  async function liveOutcomes(hit: number): Promise<{ champion: string; challenger: string }> {
    const champion = uniqueId('gate-champion');
    const challenger = uniqueId('gate-challenger');
    await publishRegistry(
      db,
      [champion, challenger].map((version) => ({ version, card: { ...CARD, version } })),
      { champion, shadow: challenger, rollout: null },
      'gate-spec',
    );
    const observed = Date.now() - DAY;
    const customers = Array.from({ length: 20 }, (_, i) => ({ id: uniqueId(`gate-c${i}`), churned: i % 2 === 0 }));
    const monitoring = new MonitoringRepository();
    await db.transaction(async (tx) => {
      await monitoring.insertPredictions(
        tx,
        'champion',
        customers.map((c) => aPrediction(c.id, champion, 0.5, observed - 10 * DAY)),
      );
      await monitoring.insertPredictions(
        tx,
        'shadow',
        customers.map((c) => aPrediction(c.id, challenger, c.churned ? hit : 1 - hit, observed - 10 * DAY)),
      );
      await new OutcomeRepository().insertNew(
        tx,
        customers.map((c) => ({ customer_id: c.id, churned: c.churned, observed_at: new Date(observed).toISOString() })),
      );
    });
    return { champion, challenger };
  }

  async function runGate(job: 'promotion-gate' | 'close-label-windows' = 'promotion-gate'): Promise<JobRunRow> {
    const runId = await trigger.runNow(job);
    const run = await eventuallyWhere(
      `the ${job} run ${runId} to finish`,
      () => runs.findById(db, runId),
      (r) => !!r && r.status !== 'running',
      30_000,
    );
    return run!;
  }

  it('promotes a challenger that beats the champion by the margin, through the scorer, and tells the admins', async () => {
    const { champion, challenger } = await liveOutcomes(0.8);
    const run = await runGate();
    assert.equal(run.status, 'succeeded', run.error ?? '');
    const result = run.result as {
      decision: string;
      test: { customers: number; improvement: number; improvement_lower_bound: number; champion_log_loss: number; challenger_log_loss: number };
    };
    assert.equal(result.decision, 'promoted');
    // Every customer: ln 2 − ln 1.25 = 0.4700 lower log-loss; every resample has that mean.
    assert.equal(result.test.customers, 20);
    assert.equal(result.test.champion_log_loss.toFixed(4), '0.6931');
    assert.equal(result.test.challenger_log_loss.toFixed(4), '0.2231');
    assert.equal(result.test.improvement.toFixed(4), '0.4700');
    assert.equal(result.test.improvement_lower_bound.toFixed(4), '0.4700');
    assert.deepEqual(scorer.activations, [{ version: challenger, actor: `promotion-gate:${run.run_id}` }]);
    assert.deepEqual(await monitoringAssignments(db), { champion: challenger, shadow: null, rollout: null });
    const [notice] = await probe.waitFor((m) => m.topic === Topics.modelAlerts && m.key === challenger);
    const alert = modelAlertSchema.parse(JSON.parse(notice!.value!));
    assert.deepEqual([alert.kind, alert.subject, alert.value.toFixed(4), alert.threshold], ['promotion_gate', 'promoted', '0.4700', 0.02]);
    assert.match(
      alert.message,
      new RegExp(
        `${challenger} is promoted to champion.*${champion} goes back to registered.*20 customers' outcomes \\(10 churned\\).*log-loss 0\\.6931 \\(champion\\) vs 0\\.2231 \\(challenger\\)`,
      ),
    );
  });

  it('keeps the champion when the challenger is worse on the same customers, and tells the admins', async () => {
    const { champion, challenger } = await liveOutcomes(0.4);
    const before = scorer.activations.length;
    const run = await runGate();
    assert.equal(run.status, 'succeeded', run.error ?? '');
    const result = run.result as { decision: string; test: { improvement: number; challenger_log_loss: number } };
    assert.equal(result.decision, 'kept');
    // −ln 0.4 = 0.9163 per customer: 0.2231 worse than the champion's ln 2.
    assert.equal(result.test.challenger_log_loss.toFixed(4), '0.9163');
    assert.equal(result.test.improvement.toFixed(4), '-0.2231');
    assert.equal(scorer.activations.length, before, 'no activation');
    assert.deepEqual(await monitoringAssignments(db), { champion, shadow: challenger, rollout: null });
    const [notice] = await probe.waitFor((m) => m.topic === Topics.modelAlerts && m.key === challenger);
    const alert = modelAlertSchema.parse(JSON.parse(notice!.value!));
    assert.deepEqual([alert.kind, alert.subject], ['promotion_gate', 'kept']);
    assert.match(alert.message, new RegExp(`${challenger} does not beat ${champion} by the margin`));
  });

  it("closes a customer's label window as the close-label-windows job: churned false once the window is over", async () => {
    const customer = uniqueId('lw-job');
    const champion = uniqueId('lw-version');
    // Scored 100 days ago by the champion, nothing since: its 90-day window (the default) closed 10 days ago.
    await db.transaction((tx) => new MonitoringRepository().insertPredictions(tx, 'champion', [aPrediction(customer, champion, 0.3, Date.now() - 100 * DAY)]));
    const run = await runGate('close-label-windows');
    assert.equal(run.status, 'succeeded', run.error ?? '');
    assert.ok((run.result as { recorded: number }).recorded >= 1, JSON.stringify(run.result));
    const [latest] = await new OutcomeRepository().latestPage(db, customer.slice(0, -1), 1);
    assert.deepEqual([latest?.customerId, latest?.churned], [customer, false]);
    assert.equal((await new OutcomeRepository().countBySource(db, 'label_window')) >= 1, true);
    // Another run later records nothing new for that window.
    const again = await runGate('close-label-windows');
    assert.equal(again.status, 'succeeded', again.error ?? '');
    const [still] = await new OutcomeRepository().latestPage(db, customer.slice(0, -1), 1);
    assert.deepEqual(still, latest);
  });

  it('lists the runs on GET /v1/jobs/runs for admins, with metrics', async () => {
    const url = `${sut.url}/v1/jobs/runs?job=promotion-gate`;
    assert.equal((await fetch(url)).status, 401);
    assert.equal((await fetch(url, { headers: { authorization: `Bearer ${await signTestToken(SECRET, ['agent'])}` } })).status, 403);
    const response = await fetch(url, { headers: { authorization: `Bearer ${await signTestToken(SECRET, ['admin'])}` } });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { runs: { job: string; status: string; result: { decision: string } }[] };
    assert.deepEqual(
      body.runs.slice(0, 2).map((r) => [r.job, r.status, r.result.decision]),
      [
        ['promotion-gate', 'succeeded', 'kept'],
        ['promotion-gate', 'succeeded', 'promoted'],
      ],
    );
    const metrics = await (await fetch(`${sut.url}/metrics`)).text();
    assert.match(metrics, /churn_job_runs_total\{job="promotion-gate",status="succeeded"[^}]*\} 2/);
    assert.match(metrics, /churn_promotion_gate_decisions_total\{decision="promoted"[^}]*\} 1/);
    assert.match(metrics, /churn_job_last_success_timestamp_seconds\{job="promotion-gate"/);
  });
});
