import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  type DashboardAlertQueue,
  dashboardAlertQueueSchema,
  type DashboardSummary,
  dashboardSummarySchema,
  type Prediction,
  riskLevelOf,
  riskScoreOf,
  Topics,
} from '@churn/contracts';
import { CrmIntegrationRepository } from '@churn/crm-sync-data';
import { Database, JobRunRepository } from '@churn/db';
import { spawnService, stopService, waitUntilReady, type ServiceProcess } from '@churn/local-stack';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import {
  eventually,
  IntegrationSandbox,
  monitoringAssignments,
  publishRegistry,
  rawProducer,
  signTestToken,
  testInfra,
  uniqueId,
  untilMonitoringRegistryRevision,
  type Outbox,
} from '@churn/testing';
import { assertChromiumInstalled, launchHeadlessChromium } from './e2e/headless-chromium';
import { REPO, telcoFixture, type TelcoFixture } from './e2e/telco-fixture';

const SECRET = 'dashboard-spec-secret-of-at-least-32-characters';
const BUNDLE = path.join(REPO, 'apps', 'dashboard', 'dist', 'web', 'index.html');
const SCREENSHOT = path.join(REPO, '.churn', 'test-results', 'dashboard.png');
/** `UPDATE_SCREENSHOT=1` also refreshes the README's pictures. */
const README_SCREENSHOT = path.join(REPO, 'docs', 'images', 'dashboard.png');
const SANDBOX_SCREENSHOT = path.join(REPO, '.churn', 'test-results', 'sandbox.png');
const README_SANDBOX_SCREENSHOT = path.join(REPO, 'docs', 'images', 'sandbox.png');
const PAUSED_SCREENSHOT = path.join(REPO, '.churn', 'test-results', 'integrations-paused.png');

async function publish(topic: string, values: readonly { customer_id: string }[]): Promise<void> {
  const producer = await rawProducer();
  for (let i = 0; i < values.length; i += 1000) {
    await producer.send({ topic, messages: values.slice(i, i + 1000).map((v) => ({ key: v.customer_id, value: JSON.stringify(v) })) });
  }
  await producer.close();
}

/** With `token`, the read carries it as a bearer token (customer-level endpoints need the agent role). */
async function getJson<T>(url: string, token?: string): Promise<T> {
  const response = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  assert.equal(response.status, 200, `${url}: ${response.status}`);
  return (await response.json()) as T;
}

function criticalPrediction(modelVersion: string): Prediction {
  const probability = 0.999;
  const riskScore = riskScoreOf(probability);
  return {
    prediction_id: uniqueId('p'),
    customer_id: uniqueId('ACK'),
    model_version: modelVersion,
    churn_probability: probability,
    risk_score: riskScore,
    risk_level: riskLevelOf(riskScore),
    recommended_action: 'retention_call_with_offer',
    intervention_cost: 150,
    revenue_at_risk: 1400,
    top_factors: [],
    experiment: null,
    source_event_id: uniqueId('e'),
    as_of: new Date().toISOString(),
    scored_at: new Date().toISOString(),
  };
}

/** The figures on the page, read in one go with the number of the load that rendered them. */
async function shownFigures(page: Page) {
  return page.evaluate(() => {
    const value = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`)?.dataset['value'] ?? null;
    return {
      load: Number(document.body.dataset['loads']),
      predictions: value('card-predictions-30d'),
      critical: value('card-critical'),
      pending: value('card-pending-alerts'),
      averageRisk: value('card-average-risk'),
      revenueAtRisk: value('roi-revenue-at-risk'),
      cost: value('roi-programme-cost'),
      saved: value('roi-revenue-saved'),
      net: value('roi-net-benefit'),
      multiple: value('roi-multiple'),
      basis: value('roi-basis'),
      rocAucAll: value('quality-roc_auc-all'),
      modelVersion: document.querySelector('[data-testid="quality-model-version"]')?.textContent ?? null,
      alertRows: [...document.querySelectorAll<HTMLElement>('[data-alert-id]')].map((row) => row.dataset['alertId']),
    };
  });
}

const asText = (n: number | null) => (n === null ? '' : String(n));

describe('monitoring dashboard in headless Chromium: monitoring and alerting processes, real Kafka and Postgres', () => {
  const logger = createLogger({ service: 'dashboard-spec', level: 'silent' });
  const services: ServiceProcess[] = [];
  let db: Database;
  let browser: Browser;
  let page: Page;
  let monitoringUrl: string;
  let alertingUrl: string;
  let crmSync: ServiceProcess;
  let crmSyncUrl: string;
  let fixture: TelcoFixture;
  let previousChampion: string | null = null;
  let ackAlertId: string;
  let sandbox: IntegrationSandbox;
  /** Every /v1/dashboard answer the page received, in order: load n rendered responses[n − 1]. */
  const responses: DashboardSummary[] = [];
  /** Every /v1/dashboard/alerts answer the page received (only once signed in). */
  const queues: DashboardAlertQueue[] = [];
  /** The spec's own agent token, for reading alerting's and monitoring's customer-level APIs. */
  let agentToken: string;

  before(async () => {
    // Fail first and clearly when the browser or the bundle is missing, before starting anything.
    assertChromiumInstalled();
    assert.ok(fs.existsSync(BUNDLE), `no dashboard bundle at ${BUNDLE}: run \`bash apps/dashboard/scripts/build-web.sh\` (bootstrap does)`);
    const { kafkaBrokers, databaseUrl } = testInfra();
    agentToken = await signTestToken(SECRET, ['agent'], { sub: 'dashboard-spec', expiresIn: '1h' });
    db = new Database({ url: databaseUrl, poolSize: 2, applicationName: 'dashboard-spec' }, logger, createMetricsRegistry('dashboard-spec'));
    fixture = telcoFixture();
    // The dashboard shows the registry's champion: the fixture's version is made champion for this spec
    // (earlier specs on the same database leave another one, with figures of its own) on `model-registry`,
    // which monitoring reads from the topic's start once it runs, and put back after.
    previousChampion = (await monitoringAssignments(db)).champion;
    const registered = await publishRegistry(
      db,
      [{ version: fixture.modelVersion, card: fixture.card }],
      { champion: fixture.modelVersion, shadow: null, rollout: null },
      'dashboard-spec',
      { wait: false },
    );

    const base = Number(process.env['CHURN_TEST_SERVICE_PORT_BASE'] ?? 13000);
    const env = { KAFKA_BROKERS: kafkaBrokers, DATABASE_URL: databaseUrl, KAFKA_GROUP_PREFIX: uniqueId('dash'), LOG_LEVEL: 'warn' };
    // Alerting's Slack and e-mail and crm-sync's CRM writes go to the demo's sandbox (the Telco
    // customers seeded in both CRMs), which monitoring lists on sandbox.html.
    sandbox = await IntegrationSandbox.start({ customerIds: fixture.predictions.map((p) => p.prediction.customer_id) });
    const alerting = spawnService('alerting', { ...env, ...sandbox.envFor('slack'), ...sandbox.envFor('email'), AUTH_JWT_SECRET: SECRET }, { port: base + 3 });
    alertingUrl = `http://127.0.0.1:${alerting.port}`;
    services.push(alerting);
    crmSync = spawnService('crm-sync', { ...env, ...sandbox.envFor('salesforce'), ...sandbox.envFor('hubspot'), AUTH_JWT_SECRET: SECRET }, { port: base + 4 });
    crmSyncUrl = `http://127.0.0.1:${crmSync.port}`;
    services.push(crmSync);
    const monitoring = spawnService(
      'monitoring',
      {
        ...env,
        AUTH_JWT_SECRET: SECRET,
        ALERTING_URL: alertingUrl,
        CRM_SYNC_URL: crmSyncUrl,
        MONITORING_SANDBOX_URL: sandbox.outboxUrl,
        MONITORING_LABEL_DELAY_DAYS: '0',
        MONITORING_REFRESH_INTERVAL_MS: '5000',
      },
      { port: base + 5 },
    );
    monitoringUrl = `http://127.0.0.1:${monitoring.port}`;
    services.push(monitoring);
    await Promise.all(services.map((s) => waitUntilReady(s)));
    await untilMonitoringRegistryRevision(db, registered);

    // Each prediction carries the feature vector the model read (drift reads it from the message).
    await publish(
      Topics.predictions,
      fixture.predictions.map(({ prediction, features }) => ({ ...prediction, features: { ...features } })),
    );
    await publish(Topics.outcomes, fixture.outcomes);
    await eventually('every Telco outcome joined to its prediction', async () => {
      const body = await getJson<{ models: { role: string; windows: { all: { overall: { count: number } } } }[] }>(
        `${monitoringUrl}/v1/metrics/model?model_version=${fixture.modelVersion}&refresh=true`,
      );
      const champion = body.models.find((m) => m.role === 'champion');
      return champion && champion.windows.all.overall.count === fixture.outcomes.length ? champion : undefined;
    });

    // One customer at the top of the queue: the alert the test acknowledges.
    const critical = criticalPrediction(fixture.modelVersion);
    await publish(Topics.predictions, [critical]);
    ackAlertId = await eventually('alerting to raise the critical alert', async () => {
      const body = await getJson<{ alerts: { alert_id: string; status: string }[] }>(
        `${alertingUrl}/v1/alerts?customer_id=${critical.customer_id}`,
        agentToken,
      );
      return body.alerts.find((a) => a.status === 'pending')?.alert_id;
    });

    browser = await launchHeadlessChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    // A script error in the page shows in the spec's output, not only as a timeout further on.
    page.on('pageerror', (error) => process.stderr.write(`page error: ${error.stack ?? error.message}\n`));
    page.on('response', (response) => {
      const pathname = new URL(response.url()).pathname;
      if ((pathname === '/v1/dashboard' || pathname === '/v1/dashboard/alerts') && response.ok()) {
        response.json().then(
          (body: unknown) =>
            pathname === '/v1/dashboard' ? responses.push(dashboardSummarySchema.parse(body)) : queues.push(dashboardAlertQueueSchema.parse(body)),
          () => undefined,
        );
      }
    });
  });

  /** crm_integrations is shared by every spec on the test stack: no pause or hold of this spec's outlives it. */
  async function releaseCrmState(): Promise<void> {
    await new CrmIntegrationRepository().resume(db, 'salesforce', 'dashboard-spec');
    await db.query('dashboard-spec.release-hold', 'UPDATE crm_integrations SET hold_until = now(), hold_reason = NULL');
  }

  after(async () => {
    if (db && previousChampion && fixture) {
      await publishRegistry(
        db,
        [{ version: fixture.modelVersion, card: fixture.card }],
        { champion: previousChampion, shadow: null, rollout: null },
        'dashboard-spec',
        {
          wait: false,
        },
      );
    }
    if (db) await releaseCrmState();
    await browser?.close();
    await db?.close();
    await Promise.all(services.map((service) => stopService(service, logger)));
    await sandbox?.stop();
  });

  it('loads from monitoring at / and shows the API’s numbers on the cards and the ROI panel; the queue waits for a sign-in', async () => {
    // A short refresh period, so the auto-refresh is observable within the test.
    await page.goto(`${monitoringUrl}/?refresh=4`);
    await page.waitForFunction(() => Number(document.body.dataset['loads']) >= 1, undefined, { timeout: 30_000 });
    const shown = await shownFigures(page);
    const api = await eventually('the page’s /v1/dashboard answer', async () => responses[shown.load - 1]);
    assert.equal(shown.predictions, String(api.cards.predictions_30d));
    assert.equal(shown.critical, String(api.cards.critical_customers));
    assert.equal(shown.pending, String(api.cards.pending_alerts));
    assert.equal(shown.averageRisk, asText(api.cards.average_risk_score));
    assert.equal(shown.revenueAtRisk, String(api.roi.overall.revenue_at_risk));
    assert.equal(shown.cost, String(api.roi.overall.programme_cost));
    assert.equal(shown.saved, String(api.roi.overall.revenue_saved));
    assert.equal(shown.net, String(api.roi.overall.net_benefit));
    assert.equal(shown.multiple, asText(api.roi.overall.roi_multiple));
    assert.equal(shown.basis, api.roi.overall.basis);
    // Not signed in: the queue says how many are pending and names no customer.
    assert.deepEqual(shown.alertRows, []);
    assert.equal(queues.length, 0, 'no customer-level read without a token');
    await page.getByTestId('queue-locked').waitFor({ timeout: 15_000 });
    // Grouped as the page groups integers (web/format.ts, en-US): '2,104 pending' once there are over 999.
    assert.equal(await page.getByTestId('alerts-count').textContent(), `${new Intl.NumberFormat('en-US').format(api.cards.pending_alerts)} pending`);
    // The fixture's 5,634 predictions are on the cards: not an empty page that trivially agrees.
    assert.ok(api.cards.predictions_30d >= fixture.predictions.length, `predictions_30d ${api.cards.predictions_30d}`);
    assert.ok(api.cards.pending_alerts >= 1);
    // Visible text is the formatted figure, not a placeholder.
    assert.match((await page.getByTestId('card-predictions-30d').textContent()) ?? '', /^\d{1,3}(,\d{3})+$/);
    // The charts are drawn (Chart.js canvases with a size).
    for (const id of ['chart-risk-distribution', 'chart-score-trend', 'chart-drift']) {
      const box = await page.getByTestId(id).boundingBox();
      assert.ok(box && box.width > 100 && box.height > 100, `${id} drawn`);
    }
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    if (process.env['UPDATE_SCREENSHOT'] === '1') {
      fs.mkdirSync(path.dirname(README_SCREENSHOT), { recursive: true });
      fs.copyFileSync(SCREENSHOT, README_SCREENSHOT);
    }
  });

  it('shows each scheduled job’s newest run in the jobs panel', async () => {
    // A failed retrain as libs/scheduler records one.
    const runs = new JobRunRepository();
    const runId = uniqueId('dashboard-run');
    await runs.start(db, { run_id: runId, job: 'retrain', trigger: 'schedule', attempt: 0, worker: 'dashboard-spec:1', scheduled_at: new Date() });
    await runs.finish(db, runId, 0, 'failed', null, 'the trainer exited with code 1');
    await page.goto(`${monitoringUrl}/?refresh=4`);
    const row = page.getByTestId('job-retrain');
    await row.waitFor({ timeout: 30_000 });
    assert.match((await row.textContent()) ?? '', /^retrainfailed/);
  });

  it('shows the champion’s ROC-AUC equal to GET /v1/metrics/model and (±0.001) to the trainer’s offline figure', async () => {
    const shown = await shownFigures(page);
    assert.equal(shown.modelVersion, fixture.modelVersion, "the registry's champion is the one shown");
    const api = await getJson<{ models: { role: string; windows: { all: { overall: { roc_auc: number } } } }[] }>(
      `${monitoringUrl}/v1/metrics/model?model_version=${fixture.modelVersion}&role=champion&window=all`,
    );
    const apiRocAuc = api.models[0]!.windows.all.overall.roc_auc;
    assert.equal(Number(shown.rocAucAll), apiRocAuc);
    assert.ok(Math.abs(Number(shown.rocAucAll) - fixture.offlineRocAuc) <= 0.001, `dashboard ${shown.rocAucAll} vs offline ${fixture.offlineRocAuc}`);
    assert.equal(await page.getByTestId('quality-roc_auc-all').textContent(), apiRocAuc.toFixed(3));
  });

  it('signing in: a forged token is refused and shows no customer; a valid one shows the queue the API answered and acknowledges in alerting', async () => {
    await page.getByTestId('queue-sign-in').click();
    await page.getByTestId('signin-name').fill('Dana Agent');
    const forged = await signTestToken('not-the-secret-but-32-characters-long!!', ['agent'], { sub: 'mallory', expiresIn: '10m' });
    await page.getByTestId('signin-token').fill(forged);
    await page.getByTestId('signin-save').click();
    await page.getByTestId('queue-locked').filter({ hasText: 'token was refused' }).waitFor({ timeout: 15_000 });
    assert.deepEqual((await shownFigures(page)).alertRows, []);
    assert.equal(queues.length, 0);
    const still = await getJson<{ status: string }>(`${alertingUrl}/v1/alerts/${ackAlertId}`, agentToken);
    assert.equal(still.status, 'pending');

    const token = await signTestToken(SECRET, ['agent'], { sub: 'dana@example.com', expiresIn: '10m' });
    await page.getByTestId('queue-sign-in').click();
    await page.getByTestId('signin-token').fill(token);
    await page.getByTestId('signin-save').click();
    const button = page.getByTestId(`ack-${ackAlertId}`);
    await button.waitFor({ timeout: 15_000 });
    const queue = await eventually('the page’s /v1/dashboard/alerts answer', async () => queues.at(-1));
    assert.deepEqual(
      (await shownFigures(page)).alertRows,
      queue.alerts.map((a) => a.alert_id),
    );
    assert.ok(queue.alerts.some((a) => a.alert_id === ackAlertId));
    await button.click();
    await page.getByTestId('toast').filter({ hasText: 'acknowledged by Dana Agent' }).waitFor({ timeout: 15_000 });
    const acknowledged = await getJson<{ status: string; acknowledged_by: string }>(`${alertingUrl}/v1/alerts/${ackAlertId}`, agentToken);
    assert.equal(acknowledged.status, 'acknowledged');
    assert.equal(acknowledged.acknowledged_by, 'Dana Agent');
    // The queue reloads without the acknowledged alert.
    await page.getByTestId(`alert-row-${ackAlertId}`).waitFor({ state: 'detached', timeout: 15_000 });
    assert.equal(await page.getByTestId('signed-in').textContent(), 'Acknowledging as Dana Agent');
  });

  it('the link in a Slack message or e-mail (/alerts/<id>) opens the dashboard with that alert on top', async () => {
    await page.goto(`${monitoringUrl}/alerts/${ackAlertId}`);
    assert.equal(new URL(page.url()).searchParams.get('alert'), ackAlertId, `redirected to ${page.url()}`);
    const panel = page.getByTestId('linked-alert');
    await panel.waitFor({ state: 'visible', timeout: 30_000 });
    await page.waitForFunction((id) => document.querySelector<HTMLElement>('[data-testid="linked-alert"]')?.dataset['alertId'] === id, ackAlertId, {
      timeout: 30_000,
    });
    // Acknowledged by the previous test, as alerting says.
    const alert = await getJson<{ status: string; customer_id: string }>(`${alertingUrl}/v1/alerts/${ackAlertId}`, agentToken);
    assert.equal(await page.getByTestId('linked-alert-status').textContent(), alert.status);
    assert.match((await panel.textContent()) ?? '', new RegExp(`${alert.customer_id}[\\s\\S]*Dana Agent`));
    // A link to an alert that does not exist says so instead of showing nothing.
    await page.goto(`${monitoringUrl}/alerts/alrt-000000000000000000000000`);
    await page.getByTestId('linked-alert').filter({ hasText: 'no such alert' }).waitFor({ timeout: 30_000 });
    // Back to the short refresh period the next test relies on.
    await page.goto(`${monitoringUrl}/?refresh=4`);
    await page.waitForFunction(() => Number(document.body.dataset['loads']) >= 1, undefined, { timeout: 30_000 });
  });

  it('refreshes by itself: a new prediction reaches the cards without a reload', async () => {
    const before = Number((await shownFigures(page)).predictions);
    await publish(Topics.predictions, [criticalPrediction(fixture.modelVersion)]);
    await page.waitForFunction(
      (count) => Number(document.querySelector<HTMLElement>('[data-testid="card-predictions-30d"]')?.dataset['value']) > count,
      before,
      { timeout: 30_000 },
    );
  });

  it('the sandbox page lists what alerting sent to Slack and e-mail, as monitoring’s outbox API and alerting’s alerts say', async () => {
    await page.goto(`${monitoringUrl}/?refresh=4`);
    await page.getByTestId('sandbox-link').waitFor({ state: 'visible', timeout: 15_000 });
    await page.getByTestId('sandbox-link').click();
    await page.waitForURL(/sandbox\.html/);
    await page.waitForFunction(
      () => ['slack-message', 'email-message', 'crm-write'].every((id) => document.querySelectorAll(`[data-testid="${id}"]`).length >= 1),
      undefined,
      { timeout: 60_000 },
    );
    const shown = await page.evaluate(() => ({
      slackTotal: Number(document.querySelector<HTMLElement>('[data-testid="total-slack"]')!.dataset['value']),
      emailTotal: Number(document.querySelector<HTMLElement>('[data-testid="total-email"]')!.dataset['value']),
      newestSlackAlertIds: document.querySelector<HTMLElement>('[data-testid="slack-message"]')!.dataset['alertIds']!.split(' ').filter(Boolean),
      newestEmailAlertIds: document.querySelector<HTMLElement>('[data-testid="email-message"]')!.dataset['alertIds']!.split(' ').filter(Boolean),
      crmTotal:
        Number(document.querySelector<HTMLElement>('[data-testid="total-salesforce"]')!.dataset['value']) +
        Number(document.querySelector<HTMLElement>('[data-testid="total-hubspot"]')!.dataset['value']),
      crmRows: document.querySelectorAll('[data-testid="crm-write"]').length,
    }));
    // Read after the page: the outbox only grows, and what the page showed newest is still listed.
    const api = await getJson<Outbox>(`${monitoringUrl}/v1/sandbox/outbox?limit=1000`, agentToken);
    assert.ok(shown.slackTotal >= 1 && api.totals.slack_messages >= shown.slackTotal, `slack ${shown.slackTotal} vs ${api.totals.slack_messages}`);
    assert.ok(shown.emailTotal >= 1 && api.totals.emails >= shown.emailTotal, `email ${shown.emailTotal} vs ${api.totals.emails}`);
    assert.ok(api.slack.some((m) => m.status === 200 && shown.newestSlackAlertIds.every((id) => m.alert_ids.includes(id))));
    assert.ok(api.email.some((m) => shown.newestEmailAlertIds.every((id) => m.alert_ids.includes(id))));
    const apiCrm = api.totals.salesforce_score_writes + api.totals.salesforce_tasks + api.totals.hubspot_score_writes + api.totals.hubspot_tasks;
    assert.ok(shown.crmTotal >= 1 && apiCrm >= shown.crmTotal, `crm ${shown.crmTotal} vs ${apiCrm}`);
    assert.equal(shown.crmRows, Math.min(100, shown.crmTotal), 'the page lists the newest 100 CRM writes');
    // They are real alerts of alerting's, not placeholders.
    for (const id of [shown.newestSlackAlertIds[0], shown.newestEmailAlertIds[0]]) {
      assert.ok(id, 'a sent message names its alert');
      await getJson(`${alertingUrl}/v1/alerts/${id}`, agentToken);
    }
    await page.screenshot({ path: SANDBOX_SCREENSHOT, fullPage: false });
    if (process.env['UPDATE_SCREENSHOT'] === '1') fs.copyFileSync(SANDBOX_SCREENSHOT, README_SANDBOX_SCREENSHOT);
  });

  it('the CRM integrations panel: a paused CRM shows its reason; an agent cannot resume it; an admin’s Resume makes it active in crm-sync; a rate-limited CRM shows until when', async () => {
    type Integrations = { integrations: { crm: string; status: string; resumed_by: string | null }[] };
    await page.goto(`${monitoringUrl}/?refresh=4`);
    await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-testid="integration-salesforce"]')?.dataset['state'] === 'active', undefined, {
      timeout: 30_000,
    });
    assert.equal(await page.getByTestId('integration-hubspot-state').textContent(), 'active');

    // A whole-call error pauses Salesforce (as crm-sync's drainer does), with no probe due for an hour.
    const detail = 'INVALID_FIELD: No such column Churn_Risk_Score__c on entity Account';
    assert.ok(await new CrmIntegrationRepository().pause(db, 'salesforce', 'invalid_field', detail, 3_600_000));
    await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-testid="integration-salesforce"]')?.dataset['state'] === 'paused', undefined, {
      timeout: 30_000,
    });
    assert.equal(await page.getByTestId('integration-salesforce-state').textContent(), 'paused');
    assert.equal(await page.getByTestId('integration-salesforce-reason').textContent(), 'invalid_field');
    assert.equal(await page.getByTestId('integration-salesforce-detail').textContent(), detail);
    assert.match((await page.getByTestId('integrations-summary').textContent()) ?? '', /Salesforce paused/);
    assert.equal(await page.getByTestId('integration-hubspot-state').textContent(), 'active');

    // Signed in with Dana's agent token (the earlier test): the button is there, disabled, saying why; crm-sync refuses her anyway.
    const resumeButton = page.getByTestId('resume-salesforce');
    assert.equal(await resumeButton.isDisabled(), true);
    assert.match((await page.getByTestId('resume-salesforce-why').textContent()) ?? '', /admin role/);
    assert.equal(await resumeButton.getAttribute('aria-describedby'), 'resume-salesforce-why');
    await page.getByTestId('integrations-panel').screenshot({ path: PAUSED_SCREENSHOT });
    const refused = await fetch(`${monitoringUrl}/v1/integrations/salesforce/resume`, { method: 'POST', headers: { authorization: `Bearer ${agentToken}` } });
    assert.equal(refused.status, 403, 'crm-sync’s refusal, through monitoring');
    assert.equal((await getJson<Integrations>(`${crmSyncUrl}/v1/integrations`)).integrations.find((i) => i.crm === 'salesforce')!.status, 'paused');

    // An admin signs in and resumes.
    await page.getByTestId('sign-in').click();
    await page.getByTestId('signin-name').fill('Ada Admin');
    await page.getByTestId('signin-token').fill(await signTestToken(SECRET, ['admin'], { sub: 'ada@example.com', expiresIn: '10m' }));
    await page.getByTestId('signin-save').click();
    await page.waitForFunction(() => document.querySelector<HTMLButtonElement>('[data-testid="resume-salesforce"]')?.disabled === false, undefined, {
      timeout: 15_000,
    });
    await page.getByTestId('resume-salesforce').click();
    await page.getByTestId('toast').filter({ hasText: 'Salesforce resumed by Ada Admin' }).waitFor({ timeout: 15_000 });
    await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-testid="integration-salesforce"]')?.dataset['state'] === 'active', undefined, {
      timeout: 15_000,
    });
    const salesforce = (await getJson<Integrations>(`${crmSyncUrl}/v1/integrations`)).integrations.find((i) => i.crm === 'salesforce')!;
    assert.deepEqual([salesforce.status, salesforce.resumed_by], ['active', 'admin ada@example.com']);
    assert.match((await page.getByTestId('integration-salesforce').textContent()) ?? '', /Last resumed .* by admin ada@example\.com/);
    assert.equal(await page.getByTestId('integrations-panel').getAttribute('data-paused'), '');

    // A rate limit holds HubSpot: shown as rate-limited until when, with no button (it goes on by itself).
    await new CrmIntegrationRepository().hold(db, 'hubspot', 120_000, 'HubSpot TEN_SECONDLY_ROLLING');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('[data-testid="integration-hubspot"]')?.dataset['state'] === 'held', undefined, {
      timeout: 15_000,
    });
    assert.equal(await page.getByTestId('integration-hubspot-state').textContent(), 'rate-limited');
    assert.match((await page.getByTestId('integration-hubspot').textContent()) ?? '', /rate limit until .*HubSpot TEN_SECONDLY_ROLLING/);
    assert.equal(await page.getByTestId('resume-hubspot').count(), 0);
    await releaseCrmState();
  });

  it('when crm-sync does not answer, the integrations panel says so and the rest of the page still refreshes', async () => {
    await stopService(crmSync, logger);
    const loadsBefore = Number(await page.evaluate(() => document.body.dataset['loads']));
    await page.getByTestId('integrations-error').filter({ hasText: 'crm-sync did not answer' }).waitFor({ timeout: 30_000 });
    await page.waitForFunction((n) => Number(document.body.dataset['loads']) > n, loadsBefore, { timeout: 30_000 });
    assert.equal(await page.getByTestId('status').isHidden(), true, 'the figures loaded');
    assert.equal(await page.getByTestId('integration-salesforce').count(), 0, 'no stale state shown');
  });
});
