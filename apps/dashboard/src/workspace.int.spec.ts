import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { experimentReportSchema, modelRegistrySchema, type Prediction, riskLevelOf, riskScoreOf, Topics } from '@churn/contracts';
import { Database } from '@churn/db';
import { type ModelAssignments, ModelVersionRepository } from '@churn/scorer-data';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { eventually, publishByCustomer, signTestToken, testInfra, uniqueId, untilMonitoringHasRegistry } from '@churn/testing';
import { saveScreenshot } from './e2e/screenshots';
import { assertAccessible, horizontalOverflow } from './e2e/accessibility';
import { assertChromiumInstalled, launchHeadlessChromium } from './e2e/headless-chromium';
import { signInWithProvider, signOut } from './e2e/oidc-sign-in';
import { REPO } from './e2e/telco-fixture';
import { startWorkspaceStack, type WorkspaceStack } from './e2e/workspace-stack';
import { DESKTOP, open, PHONE } from './e2e/workspace-walk';

const DAY = 86_400_000;

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
 * the real broker and Postgres, people signing in through the local OpenID provider: every page is
 * checked with axe-core at desktop and phone widths, and the demo admin promotes a model through the
 * models page (roll out a share, then make it champion) after the demo agent found its actions
 * disabled, which the scorer's registry confirms.
 */
describe('web workspace in headless Chromium: monitoring and scorer processes, the OpenID provider, real Kafka and Postgres', () => {
  const logger = createLogger({ service: 'workspace-spec', level: 'silent' });
  const versions = new ModelVersionRepository();
  const experiment = uniqueId('ws-exp');
  let stack: WorkspaceStack;
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
    db = new Database({ url: testInfra().databaseUrl, poolSize: 2, applicationName: 'workspace-spec' }, logger, createMetricsRegistry('workspace-spec'));

    // A registry of two versions of the active feature spec: the trained model, and a copy under a new
    // version (the challenger the admin promotes). The trained one is champion for the walk.
    active = fs.readFileSync(path.join(REPO, 'models', 'active'), 'utf8').trim();
    challenger = `${active}-${uniqueId('ws')}`;
    previous = await versions.assignments(db);
    await db.transaction(async (tx) => {
      await versions.endRollout(tx);
      await versions.makeChampion(tx, active, 'workspace-spec');
    });

    stack = await startWorkspaceStack({
      name: 'workspace',
      upstreams: ['scorer'],
      extraModelVersions: [challenger],
      env: { monitoring: { MONITORING_LABEL_DELAY_DAYS: '0', MONITORING_REFRESH_INTERVAL_MS: '5000' } },
    });
    monitoringUrl = stack.monitoringUrl;
    scorerUrl = stack.urls.scorer!;
    // The registry reaches monitoring as in production: the scorer's relay publishes the changes above and its own.
    await untilMonitoringHasRegistry(db);

    // An experiment for the experiments page (and figures for the ROI and models pages): 12 control
    // customers of whom 6 churn, 12 treated of whom 3 churn, scored over the last days, labelled today.
    const control = Array.from({ length: 12 }, (_, i) => experimentPrediction(active, experiment, 'control', 1 + (i % 5)));
    const treated = Array.from({ length: 12 }, (_, i) => experimentPrediction(active, experiment, 'treatment', 1 + (i % 5)));
    await publishByCustomer(Topics.predictions, [...control, ...treated]);
    const now = new Date().toISOString();
    await publishByCustomer(Topics.outcomes, [
      ...control.map((p, i) => ({ customer_id: p.customer_id, churned: i < 6, observed_at: now })),
      ...treated.map((p, i) => ({ customer_id: p.customer_id, churned: i < 3, observed_at: now })),
    ]);
    await eventually('the experiment’s outcomes joined', async () => {
      const report = experimentReportSchema.parse(await getJson<unknown>(`${monitoringUrl}/v1/experiments/${experiment}`));
      return report.arms.reduce((n, a) => n + a.targeted, 0) === 24 ? report : undefined;
    });

    browser = await launchHeadlessChromium();
    page = await browser.newPage({ viewport: DESKTOP, deviceScaleFactor: 1, timezoneId: 'Europe/Paris' });
    page.on('pageerror', (error) => process.stderr.write(`page error: ${error.stack ?? error.message}\n`));
  });

  /**
   * Leaves the shared registry as the other specs expect it: its champion back, no rollout. The
   * scorer's relay publishes the change to monitoring, so it runs while the scorer still does (before
   * the last test stops it): a change left in the outbox would hold every later spec that waits for
   * monitoring to catch up with the registry.
   */
  let restored = false;
  async function restoreRegistry(): Promise<void> {
    if (restored || !db || !previous || !stack) return;
    restored = true;
    await db.transaction(async (tx) => {
      await versions.endRollout(tx, 'workspace-spec');
      if (previous.champion) await versions.makeChampion(tx, previous.champion, 'workspace-spec');
    });
    await untilMonitoringHasRegistry(db);
  }

  after(async () => {
    await browser?.close();
    try {
      await restoreRegistry();
    } finally {
      // The services stop and the pool closes even when the restore fails, or the spec's process never ends.
      await stack?.stop();
      await db?.close();
    }
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
    await saveScreenshot(page, 'overview');

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
    const api = experimentReportSchema.parse(await getJson<unknown>(`${monitoringUrl}/v1/experiments/${experiment}`));
    const shown = await page.evaluate(() => ({
      arms: [...document.querySelectorAll<HTMLElement>('[data-testid^="arm-"]')].map((row) => [
        row.dataset['testid'],
        Number(row.querySelector<HTMLElement>('[data-testid="churn-rate"]')!.dataset['value']),
      ]),
      uplift: Number(document.querySelector<HTMLElement>('[data-testid="uplift"]')!.dataset['value']),
      pValue: Number(document.querySelector<HTMLElement>('[data-testid="p-value"]')!.dataset['value']),
      progress: Number(document.querySelector<HTMLElement>('[data-testid="progress-treatment"]')!.dataset['value']),
    }));
    assert.deepEqual(
      shown.arms,
      api.arms.map((a) => [`arm-${a.arm}`, a.churn_rate]),
    );
    assert.deepEqual(
      api.arms.map((a) => [a.arm, a.targeted, a.churned]),
      [
        ['control', 12, 6],
        ['treatment', 12, 3],
      ],
    );
    assert.equal(shown.uplift, api.comparisons[0]!.difference);
    assert.equal(shown.pValue, api.comparisons[0]!.p_value);
    assert.equal(shown.progress, Math.min(1, 12 / api.minimum_per_arm));
    assert.match((await page.getByTestId('arm-control').textContent()) ?? '', /50\.0 %.*%\s–\s.*%/);
    await assertAccessible(page, 'experiments page');
    await saveScreenshot(page, 'experiments');
  });

  it('the ROI page charts any period per day or week, with the totals monitoring’s series answers', async () => {
    await open(page, `${monitoringUrl}/#/roi`, 'roi-period');
    await page.getByTestId('roi-preset-7d').click();
    await page.getByTestId('roi-totals').waitFor({ timeout: 30_000 });
    const params = new URLSearchParams(new URL(page.url()).hash.split('?')[1]);
    assert.equal(params.get('bucket'), 'day');
    // The page asks for the viewer's local days (Europe/Paris here): the first day's midnight in Paris.
    const seriesUrl = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((e) => e.name)
        .filter((n) => n.includes('/v1/metrics/roi/series'))
        .at(-1)!,
    );
    const query = new URL(seriesUrl).searchParams;
    assert.match(query.get('from')!, /T2[23]:00:00\.000Z$/, 'local midnight in Paris is 22:00 or 23:00 UTC');
    const api = await getJson<{ total: { customers: number; programme_cost: number }; points: unknown[] }>(
      `${monitoringUrl}/v1/metrics/roi/series?${query.toString()}`,
    );
    assert.equal(api.points.length, 7);
    assert.ok(api.total.customers >= 24, 'the experiment’s customers were scored in the last 7 days');
    assert.equal(Number(await page.getByTestId('roi-total-customers').getAttribute('data-value')), api.total.customers);
    assert.equal(Number(await page.getByTestId('roi-total-cost').getAttribute('data-value')), api.total.programme_cost);
    await page.getByTestId('roi-chart').waitFor();
    await assertAccessible(page, 'ROI page');
    await saveScreenshot(page, 'roi');

    // Per week over a chosen period, from the picker.
    await page.getByTestId('roi-bucket').selectOption('week');
    await page.getByTestId('roi-apply').click();
    await page.waitForFunction(() => location.hash.includes('bucket=week'));
    await page.getByTestId('roi-totals').waitFor({ timeout: 30_000 });
    // A period with nobody scored is an empty state, not an empty chart.
    await open(page, `${monitoringUrl}/#/roi?from=1980-01-01&to=1980-01-31&bucket=week`, 'state-empty');
  });

  it('an admin promotes a model: the demo agent signs in and sees the actions disabled and why, signs out; the demo admin signs in, a refusal is explained, he rolls out then makes it champion', async () => {
    await open(page, `${monitoringUrl}/#/models`, 'model-versions');
    await page.getByTestId(`model-row-${challenger}`).waitFor();
    assert.equal(await page.getByTestId('serving-champion').getAttribute('data-version'), active);
    await assertAccessible(page, 'models page, signed out');

    // The demo agent, through the provider's form and back to this page: the buttons are there,
    // disabled, pointing at the reason.
    assert.equal(await signInWithProvider(page, stack.provider!, 'agent', 'agent-demo'), 'Ada Agent');
    assert.equal(new URL(page.url()).hash, '#/models', 'back on the page the sign-in started from');
    await page.getByTestId('models-needs-admin').filter({ hasText: 'admin role; Ada Agent does not have it' }).waitFor({ timeout: 15_000 });
    const activate = page.getByTestId(`activate-${challenger}`);
    assert.equal(await activate.isDisabled(), true);
    assert.equal(await activate.getAttribute('aria-describedby'), 'needs-admin');
    // The scorer refuses an agent (403, through monitoring; a script's bearer token) …
    const agentToken = await signTestToken(stack.jwtSecret, ['agent'], { sub: 'dana.agent@example.com', expiresIn: '10m' });
    const refusal = await fetch(`${monitoringUrl}/v1/models/${challenger}/activate`, { method: 'POST', headers: { authorization: `Bearer ${agentToken}` } });
    assert.equal(refusal.status, 403);
    const refusalBody = await refusal.text();
    // Monitoring checks the bodies it forwards, naming the field.
    const admin = await signTestToken(stack.jwtSecret, ['admin'], { sub: 'ada.admin@example.com', expiresIn: '10m' });
    for (const [url, body, field] of [
      [`${monitoringUrl}/v1/models/${challenger}/rollout`, { share: 2 }, 'share'],
      [`${monitoringUrl}/v1/models/rollout/rollback`, {}, 'reason'],
    ] as const) {
      const bad = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      assert.equal(bad.status, 400, url);
      assert.match(await bad.text(), new RegExp(field));
    }

    // The agent signs out and the demo admin signs in at the same browser: the provider asks for
    // credentials again rather than signing the agent back in.
    await signOut(page);
    assert.equal(await signInWithProvider(page, stack.provider!, 'admin', 'admin-demo'), 'Alex Admin');
    const session = (await (await page.request.get(`${monitoringUrl}/v1/session`)).json()) as { subject: string; roles: string[] };
    assert.deepEqual([session.subject, session.roles], ['admin@sandbox.invalid', ['admin']]);
    await open(page, `${monitoringUrl}/#/models`, 'model-versions');

    // … and the page explains that refusal when it gets it (an admin whose role was withdrawn since
    // signing in: the scorer's own 403 answer, replayed to the page's next call).
    await page.waitForFunction((id) => document.querySelector<HTMLButtonElement>(`[data-testid="activate-${id}"]`)?.disabled === false, challenger, {
      timeout: 15_000,
    });
    await page.route(`**/v1/models/${challenger}/activate`, (route) => route.fulfill({ status: 403, contentType: 'application/json', body: refusalBody }), {
      times: 1,
    });
    await page.getByTestId(`activate-${challenger}`).click();
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('models-refused').filter({ hasText: 'this needs the admin role' }).waitFor({ timeout: 15_000 });
    assert.equal(modelRegistrySchema.parse(await getJson<unknown>(`${scorerUrl}/v1/models`)).models.find((m) => m.role === 'champion')!.version, active);

    // The confirmation dialog keeps focus inside and Escape cancels without a change.
    await page.getByTestId(`rollout-${challenger}`).click();
    await page.getByTestId('confirm-dialog').waitFor();
    for (let i = 0; i < 6; i += 1) {
      await page.keyboard.press('Tab');
      assert.ok(
        await page.evaluate(() => document.getElementById('confirm-dialog')!.contains(document.activeElement)),
        `focus left the dialog after ${i + 1} Tab(s)`,
      );
    }
    await assertAccessible(page, 'confirmation dialog');
    await page.keyboard.press('Escape');
    await page.getByTestId('confirm-dialog').waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), `rollout-${challenger}`, 'focus returns to the button');
    assert.equal(modelRegistrySchema.parse(await getJson<unknown>(`${scorerUrl}/v1/models`)).rollout, null);

    // Roll out 25 %, with a reason.
    await page.getByTestId(`rollout-${challenger}`).click();
    await page.getByTestId('confirm-share').fill('25');
    await page.getByTestId('confirm-reason').fill('canary of the retrained model');
    await page.getByTestId('confirm-ok').click();
    await page
      .getByTestId('toast')
      .filter({ hasText: `${challenger} rolled out to 25 % by Alex Admin` })
      .waitFor({ timeout: 15_000 });
    const rolledOut = modelRegistrySchema.parse(await getJson<unknown>(`${scorerUrl}/v1/models`));
    assert.deepEqual(rolledOut.rollout && [rolledOut.rollout.version, rolledOut.rollout.share], [challenger, 0.25]);
    await page.getByTestId('serving-rollout').waitFor({ timeout: 15_000 });
    assert.equal(await page.getByTestId('serving-rollout').getAttribute('data-version'), challenger);
    await assertAccessible(page, 'models page during a rollout');
    await saveScreenshot(page, 'models');

    // Make it champion.
    await page.getByTestId(`activate-${challenger}`).click();
    assert.match((await page.locator('#confirm-body').textContent()) ?? '', new RegExp(`replaces ${active}`));
    await page.getByTestId('confirm-ok').click();
    await page
      .getByTestId('toast')
      .filter({ hasText: `${challenger} made champion by Alex Admin` })
      .waitFor({ timeout: 15_000 });
    const promoted = modelRegistrySchema.parse(await getJson<unknown>(`${scorerUrl}/v1/models`));
    assert.equal(promoted.models.find((m) => m.role === 'champion')!.version, challenger);
    assert.equal(promoted.rollout, null);
    await page.waitForFunction((v) => document.querySelector<HTMLElement>('[data-testid="serving-champion"]')?.dataset['version'] === v, challenger, {
      timeout: 15_000,
    });
  });

  it('every page works at 375 px wide: no sideways scrolling, no serious accessibility violation', async () => {
    await page.setViewportSize(PHONE);
    for (const [route, ready] of [
      ['#/', 'card-predictions-30d'],
      [`#/experiments/${experiment}`, 'experiment-arms'],
      ['#/roi', 'roi-totals'],
      ['#/models', 'model-versions'],
      ['#/nothing', 'not-found'],
    ] as const) {
      await open(page, `${monitoringUrl}/${route}`, ready);
      assert.ok((await horizontalOverflow(page)) <= 0, `${route} scrolls sideways at 375 px by ${await horizontalOverflow(page)} px`);
      await assertAccessible(page, `${route} at 375 px`);
    }
    await open(page, `${monitoringUrl}/#/models`, 'model-versions');
    await saveScreenshot(page, 'models-phone');
    await page.setViewportSize(DESKTOP);
  });

  it('a 502 from the scorer is an error state with a retry, not an empty page', async () => {
    await restoreRegistry();
    await stack.stopService('scorer');
    // Another URL than the page's (not only another fragment), so the page loads anew.
    await page.goto(`${monitoringUrl}/?after=stop#/models`);
    await page.getByTestId('state-error').filter({ hasText: 'did not answer' }).waitFor({ timeout: 30_000 });
    await assertAccessible(page, 'models page error state');
  });
});
