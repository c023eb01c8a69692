import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { rocAuc } from '@churn/analytics';
import {
  type AlertUpdate,
  crmIntegrationListSchema,
  type DriftAnswer,
  driftAnswerSchema,
  experimentReportSchema,
  modelAlertSchema,
  type Outcome,
  type RoiAnswer,
  roiAnswerSchema,
  Topics,
} from '@churn/contracts';
import { Database } from '@churn/db';
import { MonitoringRepository } from '@churn/monitoring-data';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { startService, type RunningService } from '@churn/service-kit';
import {
  assertAgentOrHigher,
  eventually,
  eventuallyWhere,
  expectProblem,
  problemFields,
  publishRegistered,
  rawProducer,
  serviceTestEnv,
  signTestToken,
  testInfra,
  TopicProbe,
  uniqueId,
  until,
  waitUntilHttpReady,
} from '@churn/testing';
import { monitoringConfigSchema } from './config';
import { configureMonitoringHttp } from './http-setup';
import { MonitoringModule } from './monitoring.module';
import { aPrediction, publish } from './monitoring-spec-fixtures';
import type { ModelQuality } from './quality/model-quality';

const REPO = path.resolve(__dirname, '..', '..', '..');
const ACTIVE = fs.readFileSync(path.join(REPO, 'models', 'active'), 'utf8').trim();
const CARD = JSON.parse(fs.readFileSync(path.join(REPO, 'models', ACTIVE, 'model-card.json'), 'utf8')) as Record<string, unknown>;
const T = Date.parse('2025-06-15T12:00:00Z');
const DAY = 86_400_000;
const SECRET = 'monitoring-spec-secret-of-at-least-32-characters';

/**
 * Alerting's `GET /v1/alerts/{id}` on loopback, as strict as alerting about the token: 401 without
 * one; otherwise the alert, with the Authorization header it was given recorded.
 */
async function startAlertingStandIn(): Promise<{ url: string; authorizations: (string | undefined)[]; close(): Promise<void> }> {
  const authorizations: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    authorizations.push(req.headers.authorization);
    const id = /^\/v1\/alerts\/([\w.:-]+)$/.exec(req.url ?? '')?.[1];
    res.setHeader('content-type', 'application/json');
    if (req.method !== 'GET' || !id) return void res.writeHead(404).end('{"error":"NOT_FOUND"}');
    if (!req.headers.authorization) return void res.writeHead(401).end('{"error":"UNAUTHENTICATED"}');
    res.end(JSON.stringify({ alert_id: id, customer_id: 'C-standin', status: 'pending' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    authorizations,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** crm-sync's refusals, as its exception filter words them: monitoring must relay them byte for byte. */
const CRM_SYNC_401 = {
  type: 'urn:churn-radar:problem:UNAUTHENTICATED',
  title: 'Unauthorized',
  status: 401,
  detail: 'a bearer token is required',
  instance: '/v1/integrations/hubspot/resume',
  code: 'UNAUTHENTICATED',
};
const CRM_SYNC_403 = {
  type: 'urn:churn-radar:problem:FORBIDDEN',
  title: 'Forbidden',
  status: 403,
  detail: 'requires one of the roles: admin',
  instance: '/v1/integrations/hubspot/resume',
  code: 'FORBIDDEN',
};

/**
 * crm-sync's integrations API on loopback, as strict as crm-sync about resuming: 401 without a token,
 * 403 unless its `roles` claim holds admin (the signature is crm-sync's to check, not the stand-in's).
 * Records the Authorization header of every resume it receives.
 */
async function startCrmSyncStandIn(): Promise<{ url: string; resumes: (string | undefined)[]; close(): Promise<void> }> {
  const resumes: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.method === 'GET' && req.url === '/v1/integrations') {
      return void res.end(
        JSON.stringify({
          integrations: [
            {
              crm: 'hubspot',
              enabled: true,
              status: 'paused',
              paused_reason: 'missing_scopes',
              paused_detail: 'MISSING_SCOPES',
              paused_at: '2025-06-15T12:00:00.000Z',
              rate_limited_until: null,
              rate_limit: null,
              resumed_at: null,
              resumed_by: null,
            },
          ],
        }),
      );
    }
    const crm = /^\/v1\/integrations\/(\w+)\/resume$/.exec(req.url ?? '')?.[1];
    if (req.method !== 'POST' || !crm) return void res.writeHead(404).end('{"error":"NOT_FOUND"}');
    resumes.push(req.headers.authorization);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return void res.writeHead(401, { 'content-type': 'application/problem+json' }).end(JSON.stringify(CRM_SYNC_401));
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString() || '{}') as { roles?: string[] };
    if (!claims.roles?.includes('admin')) return void res.writeHead(403, { 'content-type': 'application/problem+json' }).end(JSON.stringify(CRM_SYNC_403));
    res.end(JSON.stringify({ crm, status: 'active', resumed: true }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    resumes,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  assert.equal(response.status, 200, `${url}: ${response.status} ${await response.clone().text()}`);
  return (await response.json()) as T;
}

/** Polls the model-quality API (forcing a refresh) until the version's since-deployment count reaches `count`. */
async function qualityOnceLabelled(url: string, modelVersion: string, count: number, timeoutMs = 60_000): Promise<ModelQuality> {
  const champion = async () =>
    (await getJson<{ models: ModelQuality[] }>(`${url}/v1/metrics/model?model_version=${modelVersion}&refresh=true`)).models.find((m) => m.role === 'champion');
  const model = await eventuallyWhere(
    `${count} labelled outcomes for ${modelVersion}`,
    champion,
    (m) => m !== undefined && m.windows.all.overall.count >= count,
    timeoutMs,
  );
  return model!;
}

function assertClose(actual: object, expected: Record<string, number>): void {
  for (const [key, value] of Object.entries(expected)) {
    const got = (actual as Record<string, unknown>)[key];
    assert.ok(typeof got === 'number' && Math.abs(got - value) < 1e-9, `${key}: expected ${value}, got ${String(got)}`);
  }
}

const eventuallyJson = <T>(url: string, done: (body: T) => boolean, timeoutMs = 30_000): Promise<T> =>
  eventuallyWhere(`an answer of ${url} that fits`, () => getJson<T>(url), done, timeoutMs);

describe('monitoring service on the real broker and Postgres', () => {
  let sut: RunningService;
  let db: Database;
  let probe: TopicProbe;
  let alerting: Awaited<ReturnType<typeof startAlertingStandIn>>;
  let crmSync: Awaited<ReturnType<typeof startCrmSyncStandIn>>;

  before(async () => {
    alerting = await startAlertingStandIn();
    crmSync = await startCrmSyncStandIn();
    db = new Database(
      { url: testInfra().databaseUrl, poolSize: 2, applicationName: 'monitoring-spec' },
      createLogger({ service: 'spec', level: 'silent' }),
      createMetricsRegistry('spec'),
    );
    probe = await TopicProbe.start([Topics.outcomesDlq, Topics.modelAlerts]);
    sut = await startService({
      name: 'monitoring',
      configSchema: monitoringConfigSchema,
      module: () => MonitoringModule,
      configure: configureMonitoringHttp,
      env: serviceTestEnv({
        MONITORING_LABEL_DELAY_DAYS: '0',
        MONITORING_REFRESH_INTERVAL_MS: '600000',
        MONITORING_EXPERIMENT_MIN_PER_ARM: '5',
        MONITORING_DRIFT_MIN_SAMPLES: '50',
        AUTH_JWT_SECRET: SECRET,
        ALERTING_URL: alerting.url,
        CRM_SYNC_URL: crmSync.url,
      }),
    });
    await waitUntilHttpReady(sut.url);
  });

  after(async () => {
    await sut?.close();
    await probe?.stop();
    await db?.close();
    await alerting?.close();
    await crmSync?.close();
  });

  it('on the Telco customers, the live ROC-AUC equals (±0.001) the trainer’s offline ROC-AUC of train-predictions.csv', async () => {
    const version = uniqueId('telco-model');
    await publishRegistered(db, [{ version, card: { ...CARD, version } }]);
    const prefix = uniqueId('T');
    const rows = parse(fs.readFileSync(path.join(REPO, 'data', 'telco', 'train.csv')), { columns: true }) as {
      customerID: string;
      Churn: string;
      Contract: string;
      tenure: string;
    }[];
    const offline = new Map(
      (
        parse(fs.readFileSync(path.join(REPO, 'models', ACTIVE, 'train-predictions.csv')), { columns: true }) as {
          customerID: string;
          churn_probability: string;
        }[]
      ).map((r) => [r.customerID, Number(r.churn_probability)]),
    );
    assert.equal(offline.size, rows.length);
    const observedAt = new Date(T + DAY).toISOString();
    // Per customer: an older prediction and one made after the outcome was observed, both with a
    // deliberately wrong score — only the last prediction before the observation may be used.
    const predictions = rows.flatMap((r) => {
      const id = `${prefix}-${r.customerID}`;
      const p = offline.get(r.customerID)!;
      return [aPrediction(id, version, 1 - p, T - 30 * DAY), aPrediction(id, version, p, T), aPrediction(id, version, 1 - p, T + 2 * DAY)];
    });
    const outcomes: Outcome[] = rows.map((r) => ({ customer_id: `${prefix}-${r.customerID}`, churned: r.Churn === 'Yes', observed_at: observedAt }));
    // Each judged prediction carries the vector the model read: cohorts are read from it.
    rows.forEach((r, i) => (predictions[3 * i + 1] = { ...predictions[3 * i + 1]!, features: { Contract: r.Contract, tenure: Number(r.tenure) } }));
    await publish(Topics.predictions, predictions);
    await publish(Topics.outcomes, outcomes);
    // Redelivered outcomes are stored once.
    await publish(Topics.outcomes, outcomes.slice(0, 100));

    const model = await qualityOnceLabelled(sut.url, version, rows.length);
    const expected = rocAuc(rows.map((r) => ({ score: offline.get(r.customerID)!, label: r.Churn === 'Yes' })))!;
    const live = model.windows.all.overall;
    assert.equal(live.count, rows.length);
    assert.ok(Math.abs(live.roc_auc! - expected) <= 0.001, `live ${live.roc_auc} vs offline ${expected}`);
    assert.ok(expected > 0.8, 'the offline figure is the trained model’s');
    // The figures are the trainer's definitions at the card's decision threshold.
    assert.equal(model.decision_threshold, 0.31);
    assert.ok(model.cv_roc_auc! > 0.84);
    // Cohorts partition the outcomes; risk levels come from the predictions.
    const levels = model.windows.all.cohorts['risk_level']!;
    assert.equal(
      Object.values(levels).reduce((s, f) => s + f.count, 0),
      rows.length,
    );
    // The Telco spec's business section adds its cohorts, read from the stored vectors of the judged predictions.
    const count = (of: (r: (typeof rows)[number]) => string) =>
      rows.reduce<Record<string, number>>((out, r) => ({ ...out, [of(r)]: (out[of(r)] ?? 0) + 1 }), {});
    const band = (tenure: number) => (tenure <= 12 ? '0-12' : tenure <= 24 ? '13-24' : tenure <= 48 ? '25-48' : '49+');
    const counts = (dimension: string) => Object.fromEntries(Object.entries(model.windows.all.cohorts[dimension]!).map(([c, f]) => [c, f.count]));
    assert.deepEqual(
      counts('contract'),
      count((r) => r.Contract),
    );
    assert.deepEqual(
      counts('tenure_band'),
      count((r) => band(Number(r.tenure))),
    );
    // Outcomes observed in 2025 fall outside the last 30 days: windows count by observation time.
    assert.equal(model.windows['30d'].overall.count, 0);

    const metrics = await (await fetch(`${sut.url}/metrics`)).text();
    const gauge = metrics
      .split('\n')
      .find(
        (l) =>
          l.startsWith('monitoring_model_roc_auc{') && l.includes(`model_version="${version}"`) && l.includes('window="all"') && l.includes('cohort="all"'),
      );
    assert.ok(gauge, 'ROC-AUC gauge exported');
    assert.ok(Math.abs(Number(gauge.split(' ').pop()) - expected) <= 0.001);
  });

  it('joins an outcome to the last prediction at least the label delay before it (repository, 30 days)', async () => {
    const version = uniqueId('delay-model');
    const customers = [uniqueId('D'), uniqueId('D'), uniqueId('D'), uniqueId('D')];
    const churned = [true, true, false, false];
    // 40 days before: scores that rank perfectly; 10 days before: scores that rank inversely.
    const predictions = customers.flatMap((c, i) => [
      aPrediction(c, version, churned[i] ? 0.9 : 0.1, T - 40 * DAY),
      aPrediction(c, version, churned[i] ? 0.1 : 0.9, T - 10 * DAY),
    ]);
    await publish(Topics.predictions, predictions);
    await publish(
      Topics.outcomes,
      customers.map((c, i) => ({ customer_id: c, churned: churned[i]!, observed_at: new Date(T).toISOString() })),
    );
    const repository = new MonitoringRepository();
    const pairsFor = async (delay: number) => (await repository.labelledPredictions(db, delay)).filter((r) => r.model_version === version);
    await until('the four labelled pairs', async () => (await pairsFor(0)).length >= 4, 30_000);
    const score = (rows: Awaited<ReturnType<typeof pairsFor>>) => rocAuc(rows.map((r) => ({ score: r.churn_probability, label: r.churned })));
    assert.equal(score(await pairsFor(0)), 0, 'no delay: the latest prediction (inverted) is used');
    assert.equal(score(await pairsFor(30)), 1, '30-day delay: the prediction from 40 days before is used');
    assert.equal((await pairsFor(60)).length, 0, 'no prediction is 60 days older than the outcome');
  });

  it('ROI per risk level equals a hand calculation: estimated from the success rate without an experiment', async () => {
    const version = uniqueId('roi-est');
    const now = Date.now();
    const c = (p: number, revenue: number, cost: number) =>
      aPrediction(uniqueId('R'), version, p, now - 3_600_000, { revenue_at_risk: revenue, intervention_cost: cost });
    // Two targeted customers (critical, high), two not (medium, low); CLV months = the scorer's 12.
    await publish(Topics.predictions, [c(0.9, 1200, 150), c(0.7, 600, 75), c(0.5, 2400, 0), c(0.2, 1000, 0)]);
    const roi = roiAnswerSchema.parse(
      await eventuallyJson<RoiAnswer>(`${sut.url}/v1/roi?window=24h&model_version=${version}&refresh=true`, (b) => b.overall.customers === 4),
    );
    // revenue at risk 1200 + 600 + 2400 + 1000; expected loss .9·1200 + .7·600 + .5·2400 + .2·1000;
    // cost 150 + 75; saved 0.4 · (.9·1200 + .7·600) = 600; net 600 − 225 = 375; multiple 375 / 225.
    assertClose(roi.overall, {
      customers: 4,
      treated_customers: 2,
      revenue_at_risk: 5200,
      expected_revenue_loss: 2900,
      programme_cost: 225,
      revenue_saved: 600,
      net_benefit: 375,
      roi_multiple: 375 / 225,
      customers_retained: 0.64,
    });
    assert.equal(roi.overall.basis, 'estimate');
    assert.equal(roi.experiment, null);
    // critical alone: saved 0.4 · .9 · 1200 = 432, net 282, multiple 282 / 150.
    assertClose(roi.by_risk_level['critical']!, {
      customers: 1,
      revenue_at_risk: 1200,
      programme_cost: 150,
      revenue_saved: 432,
      net_benefit: 282,
      roi_multiple: 1.88,
    });
    assertClose(roi.by_risk_level['medium']!, { customers: 1, revenue_at_risk: 2400, programme_cost: 0, revenue_saved: 0, net_benefit: 0 });
    assert.equal(roi.by_risk_level['medium']!.roi_multiple, null);
  });

  it('ROI is measured from the experiment (treated vs control churn) and GET /v1/experiments/{name} compares the arms', async () => {
    const version = uniqueId('roi-exp');
    const experiment = uniqueId('exp');
    const now = Date.now();
    // Control: 4 customers, 2 churn (50 %); treatment: 6 customers, 1 churns (1/6). All targeted at cost 100, revenue 1200, p 0.6.
    const arms = [...Array<string>(4).fill('control'), ...Array<string>(6).fill('treatment')];
    const churned = [true, true, false, false, true, false, false, false, false, false];
    const predictions = arms.map((arm) =>
      aPrediction(uniqueId('X'), version, 0.6, now - 3_600_000, { revenue_at_risk: 1200, intervention_cost: 100, experiment: { name: experiment, arm } }),
    );
    await publish(Topics.predictions, predictions);
    await publish(
      Topics.outcomes,
      predictions.map((p, i) => ({ customer_id: p.customer_id, churned: churned[i]!, observed_at: new Date(now).toISOString() })),
    );
    const roi = roiAnswerSchema.parse(
      await eventuallyJson<RoiAnswer>(
        `${sut.url}/v1/roi?window=24h&model_version=${version}&refresh=true`,
        (b) => b.experiment?.control.customers === 4 && b.experiment.treated.customers === 6,
      ),
    );
    // uplift 1/2 − 1/6 = 1/3; retained 1/3 · 6 treated = 2; saved 2 · 1200 = 2400; cost 6 · 100; net 1800; multiple 3.
    assertClose(roi.overall, {
      customers: 10,
      treated_customers: 6,
      revenue_at_risk: 12000,
      expected_revenue_loss: 7200,
      programme_cost: 600,
      customers_retained: 2,
      revenue_saved: 2400,
      net_benefit: 1800,
      roi_multiple: 3,
    });
    assert.equal(roi.overall.basis, 'measured');
    assert.equal(roi.by_risk_level['high']!.basis, 'measured');

    const report = experimentReportSchema.parse(await getJson(`${sut.url}/v1/experiments/${experiment}`));
    assert.deepEqual(
      report.arms.map((a) => [a.arm, a.customers, a.targeted, a.churned]),
      [
        ['control', 4, 4, 2],
        ['treatment', 6, 6, 1],
      ],
    );
    assertClose(report.arms[0]!, { churn_rate: 0.5, revenue_retained: 2400, cost: 0 });
    assertClose(report.arms[1]!, { churn_rate: 1 / 6, revenue_retained: 6000, cost: 600 });
    // Wilson 95 % intervals (the score formula worked in Python): 2/4 → [0.150039, 0.849961]; 1/6 → [0.030053, 0.563503].
    assert.ok(
      report.arms.every((a, i) =>
        a.churn_rate_ci95!.every(
          (x, j) =>
            Math.abs(
              x -
                [
                  [0.150039, 0.849961],
                  [0.030053, 0.563503],
                ][i]![j]!,
            ) < 1e-5,
        ),
      ),
      JSON.stringify(report.arms.map((a) => a.churn_rate_ci95)),
    );
    const [comparison] = report.comparisons;
    // Pooled rate 3/10: z = (1/3) / √(.3·.7·(1/4 + 1/6)) = 1.1269, two-sided p = 0.2598;
    // 95 % CI 1/3 ± 1.96 · √(.5·.5/4 + (1/6)(5/6)/6) = [−0.2403, 0.9069].
    assert.ok(Math.abs(comparison!.difference! - 1 / 3) < 1e-12);
    assert.ok(Math.abs(comparison!.z_score! - 1.1269) < 1e-3, String(comparison!.z_score));
    assert.ok(Math.abs(comparison!.p_value! - 0.2598) < 1e-3, String(comparison!.p_value));
    assert.ok(Math.abs(comparison!.ci95![0] + 0.2403) < 1e-3 && Math.abs(comparison!.ci95![1] - 0.9069) < 1e-3, String(comparison!.ci95));
    assert.equal(comparison!.significant, false);
    assert.equal(comparison!.underpowered, true, 'control has 4 < 5 targeted customers');
    assert.match(report.warnings.join('\n'), /arm "control" has 4 targeted customers/);
    assert.equal((await fetch(`${sut.url}/v1/experiments/${uniqueId('none')}`)).status, 404);
  });

  it('publishes feature and score drift on model-alerts once a day, and shows it on GET /v1/drift', async () => {
    const version = uniqueId('drift-model');
    await publishRegistered(db, [{ version, card: { ...CARD, version } }]);
    const features = {
      gender: 'Female',
      SeniorCitizen: 0,
      Partner: 'No',
      Dependents: 'No',
      tenure: 1,
      PhoneService: 'Yes',
      MultipleLines: 'No',
      InternetService: 'Fiber optic',
      OnlineSecurity: 'No',
      OnlineBackup: 'No',
      DeviceProtection: 'No',
      TechSupport: 'No',
      StreamingTV: 'No',
      StreamingMovies: 'No',
      Contract: 'Month-to-month',
      PaperlessBilling: 'Yes',
      PaymentMethod: 'Electronic check',
      MonthlyCharges: 99,
      TotalCharges: 99,
    };
    // 60 brand-new, month-to-month, fiber customers all scored 0.95: far from the training population.
    // Each carries the feature vector the model read; monitoring's drift reads it from the message.
    const predictions = Array.from({ length: 60 }, (_, i) => ({
      ...aPrediction(uniqueId('F'), version, 0.95, Date.now() - 60_000),
      features: { ...features, gender: i % 2 === 0 ? 'Female' : 'Male' },
    }));
    await publish(Topics.predictions, predictions);
    const drift = driftAnswerSchema.parse(
      await eventuallyJson<DriftAnswer>(`${sut.url}/v1/drift?refresh=true`, (b) => b.models.some((m) => m.model_version === version && m.customers === 60)),
    );
    const model = drift.models.find((m) => m.model_version === version)!;
    const contract = model.features.find((f) => f.subject === 'Contract')!;
    assert.ok(contract.breached && contract.psi > 0.25, `Contract PSI ${contract.psi}`);
    assert.equal(model.features.find((f) => f.subject === 'gender')!.breached, false, 'a feature distributed as in training (half/half) does not breach');
    assert.ok(model.score?.breached);
    const alerts = await probe.waitFor((m) => m.topic === Topics.modelAlerts && m.key === version, 3);
    const parsed = alerts.map((m) => modelAlertSchema.parse(JSON.parse(m.value!)));
    assert.ok(parsed.some((a) => a.kind === 'feature_drift' && a.subject === 'Contract'));
    assert.ok(parsed.some((a) => a.kind === 'score_drift'));
    // A breach that persists is not published again the same day. The refresh answers after its
    // publishing is acknowledged; a marker sent afterwards with the same key (same partition) is
    // therefore read after anything that refresh published.
    const before = probe.messages.filter((m) => m.topic === Topics.modelAlerts && m.key === version).length;
    await getJson(`${sut.url}/v1/drift?refresh=true`);
    const marker = modelAlertSchema.parse({ ...parsed[0], alert_id: uniqueId('spec-marker'), subject: 'spec-marker' });
    const producer = await rawProducer();
    await producer.send({ topic: Topics.modelAlerts, messages: [{ key: version, value: JSON.stringify(marker) }] });
    await producer.close();
    await probe.waitFor((m) => m.topic === Topics.modelAlerts && m.key === version && m.value !== null && JSON.parse(m.value).alert_id === marker.alert_id);
    assert.equal(
      probe.messages.filter((m) => m.topic === Topics.modelAlerts && m.key === version).length,
      before + 1,
      'nothing but the marker after the second refresh',
    );
    const metrics = await (await fetch(`${sut.url}/metrics`)).text();
    const breach = metrics
      .split('\n')
      .find((l) => l.startsWith('monitoring_drift_breaches{') && l.includes(`model_version="${version}"`) && l.includes('kind="score_drift"'));
    assert.equal(breach?.split(' ').pop(), '1', String(breach));
  });

  it('recomputes drift on its own cadence: periodic refreshes keep the last drift figures, ?refresh=true recomputes them', async () => {
    // A second instance refreshing every second with drift every 10 minutes, on the data the tests above stored.
    const fast = await startService({
      name: 'monitoring',
      configSchema: monitoringConfigSchema,
      module: () => MonitoringModule,
      configure: configureMonitoringHttp,
      env: serviceTestEnv({ MONITORING_LABEL_DELAY_DAYS: '0', MONITORING_REFRESH_INTERVAL_MS: '1000', MONITORING_DRIFT_INTERVAL_MS: '600000' }),
    });
    try {
      await waitUntilHttpReady(fast.url);
      const metrics = async () => (await fetch(`${fast.url}/metrics`)).text();
      const count = (text: string, pattern: string) => Number(new RegExp(`${pattern} (\\d+)`).exec(text)?.[1] ?? 0);
      const refreshes = (text: string) => count(text, 'monitoring_refresh_duration_seconds_count(?:\\{[^}]*\\})?');
      const statements = (text: string, operation: string) => count(text, `churn_db_query_duration_seconds_count\\{[^}]*operation="${operation}"[^}]*\\}`);
      const waitForRefreshes = (n: number) =>
        eventuallyWhere(`${n} refreshes`, metrics, (text) => refreshes(text) >= n, { timeoutMs: 30_000, intervalMs: 200 });
      const first = await waitForRefreshes(2);
      const samples = statements(first, 'monitoring.feature_sample');
      assert.ok(samples > 0, 'the first refresh computed drift');
      const later = await waitForRefreshes(refreshes(first) + 3);
      assert.ok(statements(later, 'monitoring.exposures') > statements(first, 'monitoring.exposures'), 'ROI is recomputed on every refresh');
      assert.equal(statements(later, 'monitoring.feature_sample'), samples, 'drift is not recomputed within MONITORING_DRIFT_INTERVAL_MS');
      const drift = await getJson<{ models: unknown[] }>(`${fast.url}/v1/drift?refresh=true`);
      assert.ok(drift.models.length > 0);
      assert.ok(statements(await metrics(), 'monitoring.feature_sample') > samples, '?refresh=true recomputes drift');
    } finally {
      await fast.close();
    }
  });

  it('dead-letters an invalid outcome to outcomes.dlq and answers a bad query with 400 naming the field', async () => {
    const customer = uniqueId('bad');
    await publish(Topics.outcomes, [{ customer_id: customer, churned: 'maybe', observed_at: new Date().toISOString() } as unknown as Outcome]);
    const [letter] = await probe.waitFor((m) => m.topic === Topics.outcomesDlq && m.key === customer);
    assert.match(letter!.value!, /churned/);
    const bad = await fetch(`${sut.url}/v1/metrics/model?window=1y`);
    assert.deepEqual(problemFields(await expectProblem(bad, 400, 'VALIDATION_FAILED')), ['window']);
  });

  it('without an integration sandbox, GET /v1/sandbox/outbox answers 401 without a token, 404 with its code, and a bad limit 400 naming the field', async () => {
    const agent = { headers: { authorization: `Bearer ${await signTestToken(SECRET, ['agent'])}` } };
    const anonymous = await fetch(`${sut.url}/v1/sandbox/outbox`);
    await expectProblem(anonymous, 401, 'UNAUTHENTICATED');
    assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer realm="monitoring"');
    await expectProblem(await fetch(`${sut.url}/v1/sandbox/outbox`, agent), 404, 'SANDBOX_NOT_CONFIGURED');
    const bad = await fetch(`${sut.url}/v1/sandbox/outbox?limit=0`, agent);
    assert.deepEqual(problemFields(await expectProblem(bad, 400, 'VALIDATION_FAILED')), ['limit']);
    await expectProblem(await fetch(`${sut.url}/v1/nowhere`), 404, 'NOT_FOUND');
  });

  it('answers reads that name customers to agents only, and keeps aggregates open', async () => {
    const customer = uniqueId('Q');
    const alertId = uniqueId('alrt');
    // Raised as alerting publishes it on alert-updates: the queue is monitoring's copy of alerting's.
    const raisedAt = new Date().toISOString();
    const raised: AlertUpdate = {
      schema_version: 1,
      update_id: `${alertId}:raised`,
      alert_id: alertId,
      customer_id: customer,
      level: 'critical',
      state: 'pending',
      change: 'raised',
      assignee: null,
      by: null,
      note: null,
      due_at: null,
      occurred_at: raisedAt,
      risk_score: 99,
      message: 'spec alert',
      raised_at: raisedAt,
      acknowledged_at: null,
    };
    await publish(Topics.alertUpdates, [raised]);
    type Queue = { pending_alerts: number; alerts: { alert_id: string; customer_id: string; risk_score: number; message: string }[] };
    const agent = { headers: { authorization: `Bearer ${await signTestToken(SECRET, ['agent'])}` } };
    await eventually('the raised alert in the queue', async () => {
      const body = (await (await fetch(`${sut.url}/v1/dashboard/alerts`, agent)).json()) as Queue;
      return body.alerts.some((a) => a.alert_id === alertId) ? body : undefined;
    });
    const queue = (await (await assertAgentOrHigher(`${sut.url}/v1/dashboard/alerts`, SECRET)).json()) as Queue;
    assert.ok(
      queue.alerts.some((a) => a.alert_id === alertId && a.customer_id === customer && a.risk_score === 99 && a.message === 'spec alert'),
      'the new alert is in the queue',
    );
    assert.ok(queue.pending_alerts >= 1);
    const dashboard = await getJson<Record<string, unknown> & { cards: { pending_alerts: number } }>(`${sut.url}/v1/dashboard`);
    assert.equal(dashboard['alerts'], undefined, 'the open summary names no customer');
    assert.ok(dashboard.cards.pending_alerts >= 1);
    for (const open of ['/v1/roi', '/v1/drift', '/v1/metrics/model', '/v1/experiments', '/metrics', '/health/live']) {
      assert.equal((await fetch(`${sut.url}${open}`)).status, 200, open);
    }
    // One alert through monitoring: checked here, then forwarded to alerting with the caller's own token.
    const forwardedBefore = alerting.authorizations.length;
    const one = (await (await assertAgentOrHigher(`${sut.url}/v1/alerts/${alertId}`, SECRET)).json()) as { alert_id: string };
    assert.equal(one.alert_id, alertId);
    const forwarded = alerting.authorizations.slice(forwardedBefore);
    assert.equal(forwarded.length, 2, 'only the admin and agent reads reach alerting');
    assert.ok(
      forwarded.every((h) => h?.startsWith('Bearer ')),
      JSON.stringify(forwarded),
    );
  });

  it('forwards the CRM integrations: the list open, a resume with the caller’s own token (crm-sync’s 401/403 unchanged), 502 CRM_SYNC_UNAVAILABLE when crm-sync is down', async () => {
    const list = crmIntegrationListSchema.parse(await getJson(`${sut.url}/v1/integrations`));
    assert.deepEqual(
      list.integrations.map((i) => [i.crm, i.status]),
      [['hubspot', 'paused']],
    );

    const resume = (token?: string) =>
      fetch(`${sut.url}/v1/integrations/hubspot/resume`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} });
    const agent = await signTestToken(SECRET, ['agent']);
    const admin = await signTestToken(SECRET, ['admin']);
    const before = crmSync.resumes.length;
    assert.deepEqual({ ...(await expectProblem(await resume(), 401)) }, CRM_SYNC_401, 'crm-sync’s problem, unchanged');
    assert.deepEqual({ ...(await expectProblem(await resume(agent), 403)) }, CRM_SYNC_403, 'crm-sync’s problem, unchanged');
    const resumed = await resume(admin);
    assert.equal(resumed.status, 200);
    assert.deepEqual(await resumed.json(), { crm: 'hubspot', status: 'active', resumed: true });
    assert.deepEqual(crmSync.resumes.slice(before), [undefined, `Bearer ${agent}`, `Bearer ${admin}`], 'each caller’s own header, and nothing added');
    // A CRM crm-sync does not know is refused here, naming the field, and never forwarded.
    const unknown = await fetch(`${sut.url}/v1/integrations/zoho/resume`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    assert.deepEqual(problemFields(await expectProblem(unknown, 400, 'VALIDATION_FAILED')), ['crm']);
    assert.equal(crmSync.resumes.length, before + 3);

    await crmSync.close();
    const down = await expectProblem(await fetch(`${sut.url}/v1/integrations`), 502, 'CRM_SYNC_UNAVAILABLE');
    assert.equal(down['upstream'], 'crm-sync');
    const metrics = await (await fetch(`${sut.url}/metrics`)).text();
    assert.match(metrics, /monitoring_upstream_requests_total\{upstream="crm-sync",status="403"[^}]*\} 1/);
    assert.match(metrics, /monitoring_upstream_requests_total\{upstream="crm-sync",status="unreachable"[^}]*\} 1/);
  });
});
