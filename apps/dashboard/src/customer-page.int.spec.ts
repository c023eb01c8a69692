import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { customerPageSchema, Topics, type CustomerFeaturesMessageV2, type CustomerPage, type Prediction } from '@churn/contracts';
import { Database } from '@churn/db';
import { featureColumns, loadFeatureSpec, specHash, TELCO_SPEC_PATH } from '@churn/feature-spec';
import { spawnService, stopService, waitUntilReady, type ServiceProcess } from '@churn/local-stack';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { aFeatureVector, aPrediction, eventually, publishByCustomer, signTestToken, testInfra, uniqueId } from '@churn/testing';
import { assertAccessible, horizontalOverflow } from './e2e/accessibility';
import { assertChromiumInstalled } from './e2e/headless-chromium';
import { REPO } from './e2e/telco-fixture';
import { saveScreenshot } from './e2e/screenshots';
import { DESKTOP, newWorkspaceTab, open, PHONE, signIn, workspaceBrowser } from './e2e/workspace-walk';

const SECRET = 'customer-page-spec-secret-of-at-least-32-characters';
const BUNDLE = path.join(REPO, 'apps', 'dashboard', 'dist', 'web', 'index.html');
const DAY = 86_400_000;
const TELCO = loadFeatureSpec(TELCO_SPEC_PATH);

/** A `datetime-local` value `offsetMs` from now, in the page's time zone. */
function localInput(page: Page, offsetMs: number): Promise<string> {
  return page.evaluate((offset) => {
    const d = new Date(Date.now() + offset);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
  }, offsetMs);
}

/** A vector of the Telco spec (every feature), the given values overriding the defaults. */
function aVector(customerId: string, asOf: number, values: Record<string, string | number>): CustomerFeaturesMessageV2 {
  const features: Record<string, string | number | null> = {};
  for (const column of featureColumns(TELCO)) {
    features[column.name] =
      column.type === 'numeric' ? 3 : column.type === 'boolean' ? (column.name === 'SeniorCitizen' ? 0 : 'No') : (column.categories?.[0] ?? 'x');
  }
  return aFeatureVector(customerId, specHash(TELCO), { ...features, ...values }, asOf);
}

/**
 * A customer's page in headless Chromium against alerting and monitoring (separate processes) on the
 * real broker and Postgres: one customer scored over ten days by two model versions, the last score
 * critical so alerting raises an alert; the page must show what monitoring answers, and an agent
 * acknowledges, records an intervention and an outcome in place, each read back from its owner.
 */
describe('customer page in headless Chromium: alerting and monitoring processes, real Kafka and Postgres', () => {
  const logger = createLogger({ service: 'customer-page-spec', level: 'silent' });
  const services: ServiceProcess[] = [];
  const customerId = uniqueId('CP');
  const [oldVersion, newVersion] = [uniqueId('cp-v1'), uniqueId('cp-v2')];
  const now = Date.now();
  let db: Database;
  let browser: Browser;
  let page: Page;
  let monitoringUrl: string;
  let alertingUrl: string;
  let agent: string;

  /** A prediction of the customer scored at `at` (the history's time axis), in the experiment's treatment arm. */
  const scored = (version: string, probability: number, at: number, overrides: Partial<Prediction> = {}) =>
    aPrediction(customerId, version, probability, at, {
      scored_at: new Date(at).toISOString(),
      experiment: { name: 'retention-cp', arm: 'treatment' },
      ...overrides,
    });
  const detail = async (): Promise<CustomerPage> => {
    const response = await fetch(`${monitoringUrl}/v1/customers/${encodeURIComponent(customerId)}`, { headers: { authorization: `Bearer ${agent}` } });
    assert.equal(response.status, 200, await response.clone().text());
    return customerPageSchema.parse(await response.json());
  };

  before(async () => {
    assertChromiumInstalled();
    assert.ok(fs.existsSync(BUNDLE), `no dashboard bundle at ${BUNDLE}: run \`bash apps/dashboard/scripts/build-web.sh\``);
    const { kafkaBrokers, databaseUrl } = testInfra();
    db = new Database({ url: databaseUrl, poolSize: 2, applicationName: 'customer-page-spec' }, logger, createMetricsRegistry('customer-page-spec'));
    agent = await signTestToken(SECRET, ['agent'], { sub: 'spec@example.com', expiresIn: '1h' });

    const base = Number(process.env['CHURN_TEST_SERVICE_PORT_BASE'] ?? 13000);
    const env = { KAFKA_BROKERS: kafkaBrokers, DATABASE_URL: databaseUrl, KAFKA_GROUP_PREFIX: uniqueId('cp'), LOG_LEVEL: 'warn', AUTH_JWT_SECRET: SECRET };
    const alerting = spawnService('alerting', env, { port: base + 21 });
    alertingUrl = `http://127.0.0.1:${alerting.port}`;
    services.push(alerting);
    const monitoring = spawnService(
      'monitoring',
      { ...env, ALERTING_URL: alertingUrl, MONITORING_POPULATION_INTERVAL_MS: '1000', MONITORING_REFRESH_INTERVAL_MS: '600000' },
      { port: base + 22 },
    );
    monitoringUrl = `http://127.0.0.1:${monitoring.port}`;
    services.push(monitoring);
    await Promise.all(services.map((s) => waitUntilReady(s)));

    // Ten days of scores by two model versions, no rise of 20 points within a week (alerting's score
    // jump) before the newest, which is critical, with its drivers: alerting raises one alert, for it.
    await publishByCustomer(Topics.customerFeatures, [
      aVector(customerId, now - 2 * 3_600_000, { Contract: 'Month-to-month', tenure: 2, MonthlyCharges: 99.5 }),
    ]);
    await publishByCustomer(Topics.predictions, [
      scored(oldVersion, 0.4, now - 10 * DAY),
      scored(oldVersion, 0.45, now - 7 * DAY),
      scored(newVersion, 0.55, now - 3 * DAY),
      scored(newVersion, 0.91, now - 3_600_000, {
        recommended_action: 'retention_call_with_offer',
        intervention_cost: 150,
        revenue_at_risk: 1194,
        top_factors: [
          { feature: 'Contract', value: 'Month-to-month', contribution: 0.21 },
          { feature: 'tenure', value: 2, contribution: 0.12 },
          { feature: 'MonthlyCharges', value: 99.5, contribution: -0.04 },
        ],
      }),
    ]);
    await eventually('monitoring has the four scores, the vector, the population and the alert', async () => {
      const response = await fetch(`${monitoringUrl}/v1/customers/${encodeURIComponent(customerId)}`, { headers: { authorization: `Bearer ${agent}` } });
      if (response.status !== 200) return undefined;
      const body = customerPageSchema.parse(await response.json());
      const contract = body.features.find((f) => f.name === 'Contract');
      return body.score_history.length === 4 && contract?.value === 'Month-to-month' && contract.population && body.customer.alert?.state === 'pending'
        ? body
        : undefined;
    });

    ({ browser, page } = await workspaceBrowser());
  });

  after(async () => {
    await browser?.close();
    for (const service of services.reverse()) await stopService(service, logger);
    await db?.close();
  });

  it('signed out, the page names no customer and offers sign-in; signed in, it shows what monitoring answers', async () => {
    await open(page, `${monitoringUrl}/#/customers/${encodeURIComponent(customerId)}`, 'customer-locked');
    assert.equal(await page.getByTestId('customer-header').count(), 0);
    await signIn(page, SECRET, 'Dana Agent', ['agent']);
    await page.getByTestId('customer-header').waitFor({ timeout: 30_000 });
    const api = await detail();

    const value = (testid: string) => page.getByTestId(testid).getAttribute('data-value');
    assert.equal(Number(await value('header-risk-score')), api.customer.risk_score);
    assert.equal(await page.getByTestId('header-risk-level').textContent(), api.customer.risk_level);
    assert.equal(Number(await value('header-probability')), api.customer.churn_probability);
    assert.equal(Number(await value('header-score-change')), api.customer.score_change);
    assert.equal(Number(await value('header-revenue')), api.customer.revenue_at_risk);
    assert.equal(await value('header-model-version'), newVersion);
    assert.equal(await value('header-scored-at'), api.customer.scored_at);
    assert.match((await page.getByTestId('header-scored-at').textContent()) ?? '', /CET|CEST|GMT\+1|GMT\+2/, 'the scored time is in the viewer’s zone');
    assert.equal(await value('header-arm'), api.experiment?.arm);
    assert.equal(await value('header-action'), api.recommended_action?.action);
    assert.equal(Number(await value('header-action-cost')), 150);
    assert.equal(api.customer.alert?.level, 'critical');
    assert.equal(await value('header-alert'), 'pending');
    assert.match((await page.getByTestId('header-sla').textContent()) ?? '', /SLA due in/);

    // The chart: one point per score, both versions marked.
    const chart = page.getByTestId('score-history-chart');
    assert.equal(Number(await chart.getAttribute('data-points')), api.score_history.length);
    assert.deepEqual((await chart.getAttribute('data-versions'))?.split(','), [oldVersion, newVersion]);
    assert.ok(((await chart.boundingBox())?.height ?? 0) > 100, 'the chart is drawn');

    // The waterfall's rows are the drivers.
    const rows = await page
      .locator('[data-testid="drivers-waterfall"] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [(tr as HTMLElement).dataset['testid'], Number((tr as HTMLElement).dataset['contribution'])]));
    assert.deepEqual(
      rows,
      api.drivers.map((d) => [`driver-${d.feature}`, d.contribution]),
    );

    // Features beside the population: the share of the customer's contract, a number placed on the quantiles.
    const contract = api.features.find((f) => f.name === 'Contract')!;
    assert.equal(contract.population?.type, 'categorical');
    const share = contract.population.shares.find((s) => s.value === 'Month-to-month')?.share;
    assert.ok(share !== undefined && share > 0);
    assert.equal(Number(await page.locator('[data-testid="feature-Contract"] .share').getAttribute('data-share')), share);
    assert.notEqual(await page.locator('[data-testid="feature-tenure"] .quantiles').getAttribute('data-percentile'), '');
    assert.equal(
      await page
        .locator('[data-testid^="feature-"]')
        .filter({ has: page.locator('th') })
        .count(),
      api.features.length,
    );
    await assertAccessible(page, 'customer page');
    await saveScreenshot(page, 'customer-page');
  });

  it('the SLA countdowns tick while the page is open and turn Overdue in words at the deadline, without asking monitoring again', async () => {
    const due = Date.parse((await detail()).customer.alert!.due_at!);
    // A tab of its own with Playwright's clock, so the test moves the page's time instead of waiting for the deadline.
    const tab = await newWorkspaceTab(browser);
    try {
      await tab.clock.install();
      await open(tab, `${monitoringUrl}/#/customers/${encodeURIComponent(customerId)}`, 'customer-locked');
      await signIn(tab, SECRET, 'Dana Agent', ['agent']);
      await tab.getByTestId('header-sla').waitFor({ timeout: 30_000 });
      let customerRequests = 0;
      tab.on('request', (request) => void (request.url().includes('/v1/customers/') && (customerRequests += 1)));
      const sla = async (testid: string) => (await tab.getByTestId(testid).textContent()) ?? '';

      const shown = await sla('header-sla');
      assert.match(shown, /^ · SLA due in \d+ h( \d+ min)? \(.+\)$/);
      // fastForward fires the page's interval once, as a laptop woken after five minutes would.
      await tab.clock.fastForward('05:00');
      const later = await sla('header-sla');
      assert.notEqual(later, shown, 'the countdown moved with the clock');
      assert.match(later, /^ · SLA due in /);

      const pageNow = await tab.evaluate(() => Date.now());
      await tab.clock.fastForward(due - pageNow + 3 * 60_000);
      for (const testid of ['header-sla', 'alert-sla']) {
        assert.match(await sla(testid), /^ · SLA ⚠ Overdue overdue by \d+ min \(.+\)$/, `${testid} says Overdue in words`);
        const countdown = tab.locator(`[data-testid="${testid}"] [data-due]`);
        assert.equal(await countdown.getAttribute('class'), 'sla-overdue');
        assert.equal(await countdown.locator('[aria-hidden="true"]').textContent(), '⚠ ', 'the sign is not read out');
      }
      assert.equal(customerRequests, 0, 'the countdowns tick without fetching the customer again');
      await assertAccessible(tab, 'customer page with an overdue alert');
    } finally {
      await tab.close();
    }
  });

  it('an agent acknowledges the alert with a note, records an intervention and an outcome in place', async () => {
    const alertId = (await detail()).customer.alert!.alert_id;
    // By keyboard: the note, then Tab to Acknowledge and Enter.
    await page.getByTestId('alert-note').focus();
    await page.keyboard.type('Called; offered a one-year contract');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'alert-ack');
    await page.keyboard.press('Enter');
    await page.getByTestId('customer-message').filter({ hasText: 'Alert acknowledged by Dana Agent: it is on the timeline' }).waitFor({ timeout: 30_000 });
    const alert = (await (await fetch(`${alertingUrl}/v1/alerts/${alertId}`, { headers: { authorization: `Bearer ${agent}` } })).json()) as {
      status: string;
      acknowledged_by: string;
      acknowledge_note: string;
    };
    assert.deepEqual([alert.status, alert.acknowledged_by, alert.acknowledge_note], ['acknowledged', 'Dana Agent', 'Called; offered a one-year contract']);
    assert.match((await page.getByTestId('timeline-alert').first().textContent()) ?? '', /acknowledged by Dana Agent.*Called; offered a one-year contract/);

    // A refusal names its field next to the input: an intervention in the future.
    await page.getByTestId('intervention-action').fill('retention call');
    await page.getByTestId('intervention-performed-at').fill(await localInput(page, DAY));
    await page.getByTestId('intervention-save').click();
    await page.getByTestId('intervention-performed-at-error').filter({ hasText: 'performed_at' }).waitFor({ timeout: 15_000 });
    assert.equal(await page.getByTestId('intervention-performed-at').getAttribute('aria-invalid'), 'true');

    // Now, as it was done a minute ago.
    await page.getByTestId('intervention-performed-at').fill(await localInput(page, -60_000));
    await page.getByTestId('intervention-channel').fill('phone');
    await page.getByTestId('intervention-offer').fill('annual contract, 10 % off');
    await page.getByTestId('intervention-cost').fill('40');
    await page.getByTestId('intervention-save').click();
    await page.getByTestId('customer-message').filter({ hasText: 'Intervention recorded by Dana Agent: it is on the timeline' }).waitFor({ timeout: 30_000 });
    assert.match(
      (await page.getByTestId('timeline-intervention').first().textContent()) ?? '',
      /retention call by Dana Agent.*via phone.*offered annual contract, 10 % off.*\$40/,
    );
    const stored = await db.query<{ action: string; performed_by: string; channel: string; cost: string; source: string }>(
      'spec.interventions',
      'SELECT action, performed_by, channel, cost::text AS cost, source FROM interventions WHERE customer_id = $1',
      [customerId],
    );
    assert.deepEqual(
      stored.map((r) => [r.action, r.performed_by, r.channel, Number(r.cost), r.source]),
      [['retention call', 'Dana Agent', 'phone', 40, 'api']],
    );

    await page.getByTestId('outcome-stayed').check();
    await page.getByTestId('outcome-save').click();
    await page.getByTestId('customer-message').filter({ hasText: 'Stay recorded by Dana Agent: it is on the timeline' }).waitFor({ timeout: 30_000 });
    const outcomes = await db.query<{ churned: boolean }>('spec.outcomes', 'SELECT churned FROM outcomes WHERE customer_id = $1', [customerId]);
    assert.deepEqual(
      outcomes.map((o) => o.churned),
      [false],
    );

    // The timeline filters by kind, newest first.
    await page.getByTestId('timeline-filter').selectOption('intervention');
    assert.deepEqual(await page.locator('[data-testid="timeline"] li').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset['testid'])), [
      'timeline-intervention',
    ]);
    await page.getByTestId('timeline-filter').selectOption('all');
    const kinds = await page.locator('[data-testid="timeline"] li').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset['at'] ?? ''));
    assert.deepEqual(kinds, [...kinds].sort().reverse(), 'newest first');
    assert.ok((await page.locator('[data-testid="timeline-prediction"]').count()) >= 3);
    await assertAccessible(page, 'customer page after the actions');
  });

  it('at 375 px the page does not scroll sideways and stays accessible', async () => {
    await page.setViewportSize(PHONE);
    await open(page, `${monitoringUrl}/#/customers/${encodeURIComponent(customerId)}`, 'customer-header');
    assert.ok((await horizontalOverflow(page)) <= 0, `the customer page scrolls sideways at 375 px by ${await horizontalOverflow(page)} px`);
    await assertAccessible(page, 'customer page at 375 px');
    await page.setViewportSize(DESKTOP);
  });

  it('an unknown customer is a 404 page that offers the search, and so is an unknown route', async () => {
    const unknown = `${customerId}-NOPE`;
    const response = await fetch(`${monitoringUrl}/v1/customers/${encodeURIComponent(unknown)}`, { headers: { authorization: `Bearer ${agent}` } });
    assert.equal(response.status, 404);
    assert.match(await response.text(), /CUSTOMER_NOT_FOUND/);
    await open(page, `${monitoringUrl}/#/customers/${encodeURIComponent(unknown)}`, 'customer-not-found');
    assert.equal(await page.getByTestId('customer-not-found').textContent(), `No customer ${unknown}`);
    await assertAccessible(page, 'customer 404 page');
    await page.getByTestId('customer-search-q').fill(customerId);
    await page.getByTestId('customer-search-go').click();
    await page.waitForFunction((q) => location.hash === `#/customers?q=${encodeURIComponent(q)}`, customerId, { timeout: 15_000 });

    await open(page, `${monitoringUrl}/#/no/such/page`, 'not-found');
    await page.getByTestId('customer-search-q').fill('7590');
    await page.getByTestId('customer-search-q').press('Enter');
    await page.waitForFunction(() => location.hash === '#/customers?q=7590', undefined, { timeout: 15_000 });
  });
});
