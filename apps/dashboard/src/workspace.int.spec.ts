import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { riskLevelOf, riskScoreOf, Topics, type Prediction } from '@churn/contracts';
import { Database, ModelVersionRepository, type ModelAssignments } from '@churn/db';
import { spawnService, stopService, waitUntilReady, type ServiceProcess } from '@churn/local-stack';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { eventually, rawProducer, signTestToken, testInfra, uniqueId } from '@churn/testing';
import { assertAccessible, horizontalOverflow } from './e2e/accessibility';
import { assertChromiumInstalled, launchHeadlessChromium } from './e2e/headless-chromium';
import { DESKTOP, newWorkspaceTab, open, PHONE, screenshot as screenshotTo, signIn as signInWith } from './e2e/workspace-walk';
import { REPO } from './e2e/telco-fixture';

const SECRET = 'workspace-spec-secret-of-at-least-32-characters';
const BUNDLE = path.join(REPO, 'apps', 'dashboard', 'dist', 'web', 'index.html');
const RESULTS = path.join(REPO, '.churn', 'test-results', 'workspace');
const DAY = 86_400_000;

interface ModelsAnswer {
  rollout: { version: string; share: number } | null;
  models: { version: string; role: string; rollout_share: number | null }[];
}

interface ExperimentAnswer {
  arms: { arm: string; customers: number; targeted: number; churned: number; churn_rate: number | null }[];
  comparisons: { arm: string; difference: number | null; p_value: number | null }[];
  minimum_per_arm: number;
}

async function publish(topic: string, values: readonly { customer_id: string }[]): Promise<void> {
  const producer = await rawProducer();
  await producer.send({ topic, messages: values.map((v) => ({ key: v.customer_id, value: JSON.stringify(v) })) });
  await producer.close();
}

const signIn = (page: Page, name: string, roles: readonly string[]) => signInWith(page, SECRET, name, roles);
const screenshot = (page: Page, name: string) => screenshotTo(page, RESULTS, name);

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  assert.equal(response.status, 200, `${url}: ${response.status}`);
  return (await response.json()) as T;
}

/** A champion prediction of the experiment's: targeted (an action with a cost), scored `daysAgo` days ago. */
function experimentPrediction(modelVersion: string, experiment: string, arm: string, daysAgo: number): Prediction {
  const probability = 0.7;
  const riskScore = riskScoreOf(probability);
  const at = new Date(Date.now() - daysAgo * DAY).toISOString();
  return {
    prediction_id: uniqueId('p'),
    customer_id: uniqueId(`WS-${arm}`),
    model_version: modelVersion,
    churn_probability: probability,
    risk_score: riskScore,
    risk_level: riskLevelOf(riskScore),
    recommended_action: 'discount_offer',
    intervention_cost: 75,
    revenue_at_risk: 960,
    top_factors: [],
    experiment: { name: experiment, arm },
    source_event_id: uniqueId('e'),
    as_of: at,
    scored_at: at,
  };
}

/**
 * The web workspace in headless Chromium against monitoring and the scorer (separate processes) on
 * the real broker and Postgres: every page is checked with axe-core at desktop and phone widths, and
 * an admin promotes a model through the models page (roll out a share, then make it champion), which
 * the scorer's registry confirms.
 */
describe('web workspace in headless Chromium: monitoring and scorer processes, real Kafka and Postgres', () => {
  const logger = createLogger({ service: 'workspace-spec', level: 'silent' });
  const versions = new ModelVersionRepository();
  const services: ServiceProcess[] = [];
  const experiment = uniqueId('ws-exp');
  let registryDir: string;
  let active: string;
  let challenger: string;
  let previous: ModelAssignments;
  let db: Database;
  let browser: Browser;
  let page: Page;
  let monitoringUrl: string;
  let scorerUrl: string;

  before(async () => {
    assertChromiumInstalled();
    assert.ok(fs.existsSync(BUNDLE), `no dashboard bundle at ${BUNDLE}: run \`bash apps/dashboard/scripts/build-web.sh\` (bootstrap does)`);
    fs.mkdirSync(RESULTS, { recursive: true });
    const { kafkaBrokers, databaseUrl } = testInfra();
    db = new Database({ url: databaseUrl, poolSize: 2, applicationName: 'workspace-spec' }, logger, createMetricsRegistry('workspace-spec'));

    // A registry of two versions of the active feature spec: the trained model, and a copy under a new
    // version (the challenger the admin promotes). The trained one is champion for the walk.
    active = fs.readFileSync(path.join(REPO, 'models', 'active'), 'utf8').trim();
    challenger = `${active}-${uniqueId('ws')}`;
    registryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'churn-workspace-registry-'));
    fs.cpSync(path.join(REPO, 'models', active), path.join(registryDir, active), { recursive: true });
    fs.cpSync(path.join(REPO, 'models', active), path.join(registryDir, challenger), { recursive: true });
    const cardFile = path.join(registryDir, challenger, 'model-card.json');
    fs.writeFileSync(cardFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(cardFile, 'utf8')), version: challenger }));
    fs.writeFileSync(path.join(registryDir, 'active'), `${active}\n`);
    previous = await versions.assignments(db);
    await db.transaction(async (tx) => {
      await versions.endRollout(tx);
      await versions.makeChampion(tx, active, 'workspace-spec');
    });

    const base = Number(process.env['CHURN_TEST_SERVICE_PORT_BASE'] ?? 13000);
    const env = { KAFKA_BROKERS: kafkaBrokers, DATABASE_URL: databaseUrl, KAFKA_GROUP_PREFIX: uniqueId('ws'), LOG_LEVEL: 'warn', AUTH_JWT_SECRET: SECRET };
    const scorer = spawnService('scorer', { ...env, MODEL_REGISTRY_DIR: registryDir, SCORER_STREAM_ENABLED: 'false', MODEL_POLL_INTERVAL_MS: '500' }, { port: base + 12 });
    scorerUrl = `http://127.0.0.1:${scorer.port}`;
    services.push(scorer);
    const monitoring = spawnService('monitoring', { ...env, SCORER_URL: scorerUrl, MONITORING_LABEL_DELAY_DAYS: '0', MONITORING_REFRESH_INTERVAL_MS: '5000' }, { port: base + 15 });
    monitoringUrl = `http://127.0.0.1:${monitoring.port}`;
    services.push(monitoring);
    await Promise.all(services.map((s) => waitUntilReady(s)));

    // An experiment for the experiments page (and figures for the ROI and models pages): 12 control
    // customers of whom 6 churn, 12 treated of whom 3 churn, scored over the last days, labelled today.
    const control = Array.from({ length: 12 }, (_, i) => experimentPrediction(active, experiment, 'control', 1 + (i % 5)));
    const treated = Array.from({ length: 12 }, (_, i) => experimentPrediction(active, experiment, 'treatment', 1 + (i % 5)));
    await publish(Topics.predictions, [...control, ...treated]);
    const now = new Date().toISOString();
    await publish(Topics.outcomes, [
      ...control.map((p, i) => ({ customer_id: p.customer_id, churned: i < 6, observed_at: now })),
      ...treated.map((p, i) => ({ customer_id: p.customer_id, churned: i < 3, observed_at: now })),
    ]);
    await eventually('the experiment’s outcomes joined', async () => {
      const report = await getJson<ExperimentAnswer>(`${monitoringUrl}/v1/experiments/${experiment}`);
      return report.arms.reduce((n, a) => n + a.targeted, 0) === 24 ? report : undefined;
    });

    browser = await launchHeadlessChromium();
    page = await newWorkspaceTab(browser);
  });

  after(async () => {
    await browser?.close();
    for (const service of services.reverse()) await stopService(service, logger);
    // Leave the shared registry as the other specs expect it: its champion back, no rollout.
    if (db && previous) {
      await db.transaction(async (tx) => {
        await versions.endRollout(tx);
        if (previous.champion) await versions.makeChampion(tx, previous.champion, 'workspace-spec');
      });
    }
    await db?.close();
    if (registryDir) fs.rmSync(registryDir, { recursive: true, force: true });
  });

  it('the shell: a keyboard reaches the skip link first, the navigation names the current page, and an unknown route shows the 404 page', async () => {
    await open(page, `${monitoringUrl}/`, 'card-predictions-30d');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'skip-link');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
    assert.equal(await page.locator('.nav a[aria-current="page"]').textContent(), 'Overview');
    assert.deepEqual(await page.locator('.nav a').allTextContents(), ['Overview', 'Queue', 'Customers', 'Experiments', 'ROI', 'Models']);
    await page.waitForFunction(() => Number(document.body.dataset['loads']) >= 1, undefined, { timeout: 30_000 });
    await assertAccessible(page, 'overview');
    await screenshot(page, 'overview');

    await page.locator('.nav a', { hasText: 'Models' }).click();
    await page.getByTestId('model-versions').waitFor({ timeout: 30_000 });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Models', 'focus moves to the new page’s heading');
    assert.equal(await page.title(), 'Churn Radar · Models');

    await open(page, `${monitoringUrl}/#/no/such/page`, 'not-found');
    assert.equal(await page.locator('.nav a[aria-current="page"]').count(), 0);
    await assertAccessible(page, '404 page');
  });

  it('the experiments page shows the arms, churn rates with intervals, uplift, p-value and progress as monitoring’s report says', async () => {
    await open(page, `${monitoringUrl}/#/experiments/${experiment}`, 'experiment-arms');
    const api = await getJson<ExperimentAnswer>(`${monitoringUrl}/v1/experiments/${experiment}`);
    const shown = await page.evaluate(() => ({
      arms: [...document.querySelectorAll<HTMLElement>('[data-testid^="arm-"]')].map((row) => [row.dataset['testid'], Number(row.querySelector<HTMLElement>('[data-testid="churn-rate"]')!.dataset['value'])]),
      uplift: Number(document.querySelector<HTMLElement>('[data-testid="uplift"]')!.dataset['value']),
      pValue: Number(document.querySelector<HTMLElement>('[data-testid="p-value"]')!.dataset['value']),
      progress: Number(document.querySelector<HTMLElement>('[data-testid="progress-treatment"]')!.dataset['value']),
    }));
    assert.deepEqual(shown.arms, api.arms.map((a) => [`arm-${a.arm}`, a.churn_rate]));
    assert.deepEqual(api.arms.map((a) => [a.arm, a.targeted, a.churned]), [['control', 12, 6], ['treatment', 12, 3]]);
    assert.equal(shown.uplift, api.comparisons[0]!.difference);
    assert.equal(shown.pValue, api.comparisons[0]!.p_value);
    assert.equal(shown.progress, Math.min(1, 12 / api.minimum_per_arm));
    assert.match((await page.getByTestId('arm-control').textContent()) ?? '', /50\.0 %.*%\s–\s.*%/);
    await assertAccessible(page, 'experiments page');
    await screenshot(page, 'experiments');
  });

  it('the ROI page charts any period per day or week, with the totals monitoring’s series answers', async () => {
    await open(page, `${monitoringUrl}/#/roi`, 'roi-period');
    await page.getByTestId('roi-preset-7d').click();
    await page.getByTestId('roi-totals').waitFor({ timeout: 30_000 });
    const params = new URLSearchParams(new URL(page.url()).hash.split('?')[1]);
    assert.equal(params.get('bucket'), 'day');
    // The page asks for the viewer's local days (Europe/Paris here): the first day's midnight in Paris.
    const seriesUrl = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('/v1/metrics/roi/series')).at(-1)!);
    const query = new URL(seriesUrl).searchParams;
    assert.match(query.get('from')!, /T2[23]:00:00\.000Z$/, 'local midnight in Paris is 22:00 or 23:00 UTC');
    const api = await getJson<{ total: { customers: number; programme_cost: number }; points: unknown[] }>(`${monitoringUrl}/v1/metrics/roi/series?${query.toString()}`);
    assert.equal(api.points.length, 7);
    assert.ok(api.total.customers >= 24, 'the experiment’s customers were scored in the last 7 days');
    assert.equal(Number(await page.getByTestId('roi-total-customers').getAttribute('data-value')), api.total.customers);
    assert.equal(Number(await page.getByTestId('roi-total-cost').getAttribute('data-value')), api.total.programme_cost);
    await page.getByTestId('roi-chart').waitFor();
    await assertAccessible(page, 'ROI page');
    await screenshot(page, 'roi');

    // Per week over a chosen period, from the picker.
    await page.getByTestId('roi-bucket').selectOption('week');
    await page.getByTestId('roi-apply').click();
    await page.waitForFunction(() => location.hash.includes('bucket=week'));
    await page.getByTestId('roi-totals').waitFor({ timeout: 30_000 });
    // A period with nobody scored is an empty state, not an empty chart.
    await open(page, `${monitoringUrl}/#/roi?from=1980-01-01&to=1980-01-31&bucket=week`, 'state-empty');
  });

  it('an admin promotes a model: agents see the actions disabled and why, a refusal is explained, the admin rolls out then makes it champion', async () => {
    await open(page, `${monitoringUrl}/#/models`, 'model-versions');
    await page.getByTestId(`model-row-${challenger}`).waitFor();
    assert.equal(await page.getByTestId('serving-champion').getAttribute('data-version'), active);
    await assertAccessible(page, 'models page, signed out');

    // An agent: the buttons are there, disabled, pointing at the reason.
    await signIn(page, 'Dana Agent', ['agent']);
    await page.getByTestId('models-needs-admin').filter({ hasText: 'admin role' }).waitFor({ timeout: 15_000 });
    const activate = page.getByTestId(`activate-${challenger}`);
    assert.equal(await activate.isDisabled(), true);
    assert.equal(await activate.getAttribute('aria-describedby'), 'needs-admin');
    // The scorer refuses an agent (403, through monitoring) …
    const agentToken = await signTestToken(SECRET, ['agent'], { sub: 'dana.agent@example.com', expiresIn: '10m' });
    const refusal = await fetch(`${monitoringUrl}/v1/models/${challenger}/activate`, { method: 'POST', headers: { authorization: `Bearer ${agentToken}` } });
    assert.equal(refusal.status, 403);
    const refusalBody = await refusal.text();
    // Monitoring checks the bodies it forwards, naming the field.
    const admin = await signTestToken(SECRET, ['admin'], { sub: 'ada.admin@example.com', expiresIn: '10m' });
    for (const [url, body, field] of [
      [`${monitoringUrl}/v1/models/${challenger}/rollout`, { share: 2 }, 'share'],
      [`${monitoringUrl}/v1/models/rollout/rollback`, {}, 'reason'],
    ] as const) {
      const bad = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal(bad.status, 400, url);
      assert.match(await bad.text(), new RegExp(field));
    }

    // … and the page explains that refusal when it gets it (an admin whose role was withdrawn since
    // signing in: the scorer's own 403 answer, replayed to the page's next call).
    await signIn(page, 'Ada Admin', ['admin']);
    await page.waitForFunction((id) => document.querySelector<HTMLButtonElement>(`[data-testid="activate-${id}"]`)?.disabled === false, challenger, { timeout: 15_000 });
    await page.route(`**/v1/models/${challenger}/activate`, (route) => route.fulfill({ status: 403, contentType: 'application/json', body: refusalBody }), { times: 1 });
    await page.getByTestId(`activate-${challenger}`).click();
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('models-refused').filter({ hasText: 'this needs the admin role' }).waitFor({ timeout: 15_000 });
    assert.equal((await getJson<ModelsAnswer>(`${scorerUrl}/v1/models`)).models.find((m) => m.role === 'champion')!.version, active);

    // The confirmation dialog keeps focus inside and Escape cancels without a change.
    await page.getByTestId(`rollout-${challenger}`).click();
    await page.getByTestId('confirm-dialog').waitFor();
    for (let i = 0; i < 6; i += 1) {
      await page.keyboard.press('Tab');
      assert.ok(await page.evaluate(() => document.getElementById('confirm-dialog')!.contains(document.activeElement)), `focus left the dialog after ${i + 1} Tab(s)`);
    }
    await assertAccessible(page, 'confirmation dialog');
    await page.keyboard.press('Escape');
    await page.getByTestId('confirm-dialog').waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), `rollout-${challenger}`, 'focus returns to the button');
    assert.equal((await getJson<ModelsAnswer>(`${scorerUrl}/v1/models`)).rollout, null);

    // Roll out 25 %, with a reason.
    await page.getByTestId(`rollout-${challenger}`).click();
    await page.getByTestId('confirm-share').fill('25');
    await page.getByTestId('confirm-reason').fill('canary of the retrained model');
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('toast').filter({ hasText: `${challenger} rolled out to 25 % by Ada Admin` }).waitFor({ timeout: 15_000 });
    const rolledOut = await getJson<ModelsAnswer>(`${scorerUrl}/v1/models`);
    assert.deepEqual(rolledOut.rollout && [rolledOut.rollout.version, rolledOut.rollout.share], [challenger, 0.25]);
    await page.getByTestId('serving-rollout').waitFor({ timeout: 15_000 });
    assert.equal(await page.getByTestId('serving-rollout').getAttribute('data-version'), challenger);
    await assertAccessible(page, 'models page during a rollout');
    await screenshot(page, 'models');

    // Make it champion.
    await page.getByTestId(`activate-${challenger}`).click();
    assert.match((await page.locator('#confirm-body').textContent()) ?? '', new RegExp(`replaces ${active}`));
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('toast').filter({ hasText: `${challenger} made champion by Ada Admin` }).waitFor({ timeout: 15_000 });
    const promoted = await getJson<ModelsAnswer>(`${scorerUrl}/v1/models`);
    assert.equal(promoted.models.find((m) => m.role === 'champion')!.version, challenger);
    assert.equal(promoted.rollout, null);
    await page.waitForFunction((v) => document.querySelector<HTMLElement>('[data-testid="serving-champion"]')?.dataset['version'] === v, challenger, { timeout: 15_000 });
  });

  it('every page works at 375 px wide: no sideways scrolling, no serious accessibility violation', async () => {
    await page.setViewportSize(PHONE);
    for (const [route, ready] of [['#/', 'card-predictions-30d'], [`#/experiments/${experiment}`, 'experiment-arms'], ['#/roi', 'roi-totals'], ['#/models', 'model-versions'], ['#/nothing', 'not-found']] as const) {
      await open(page, `${monitoringUrl}/${route}`, ready);
      assert.ok((await horizontalOverflow(page)) <= 0, `${route} scrolls sideways at 375 px by ${await horizontalOverflow(page)} px`);
      await assertAccessible(page, `${route} at 375 px`);
    }
    await open(page, `${monitoringUrl}/#/models`, 'model-versions');
    await screenshot(page, 'models-phone');
    await page.setViewportSize(DESKTOP);
  });

  it('a 502 from the scorer is an error state with a retry, not an empty page', async () => {
    await stopService(services[0]!, logger);
    // Another URL than the page's (not only another fragment), so the page loads anew.
    await page.goto(`${monitoringUrl}/?after=stop#/models`);
    await page.getByTestId('state-error').filter({ hasText: 'did not answer' }).waitFor({ timeout: 30_000 });
    await assertAccessible(page, 'models page error state');
  });
});
