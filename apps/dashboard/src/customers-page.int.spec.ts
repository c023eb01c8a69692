import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { type CustomerFeaturesMessageV2, customerListPageSchema, type Prediction, Topics } from '@churn/contracts';
import { featureColumns, featureSpecEnvSchema, type FeatureSpec } from '@churn/feature-spec';
import { spawnService, stopService, waitUntilReady, type ServiceProcess } from '@churn/local-stack';
import { createLogger } from '@churn/observability';
import {
  aFeatureVector,
  aPrediction,
  eventually,
  freeLoopbackPort,
  LocalOpenIdProvider,
  publishByCustomer,
  signTestToken,
  testInfra,
  uniqueId,
} from '@churn/testing';
import { assertAccessible, horizontalOverflow } from './e2e/accessibility';
import { assertChromiumInstalled, launchHeadlessChromium } from './e2e/headless-chromium';
import { REPO } from './e2e/telco-fixture';
import { saveScreenshot } from './e2e/screenshots';

const SECRET = 'customers-page-spec-secret-of-at-least-32-characters';
const BUNDLE = path.join(REPO, 'apps', 'dashboard', 'dist', 'web', 'index.html');
const DESKTOP = { width: 1280, height: 860 };
const PHONE = { width: 375, height: 800 };
const HOUR = 3_600_000;
const CUSTOMERS = 30;
/** The spec monitoring runs with (FEATURE_SPEC_FILE, else the shipped default): the vectors are of this spec. */
const ACTIVE = featureSpecEnvSchema.parse({ FEATURE_SPEC_FILE: process.env['FEATURE_SPEC_FILE'] || undefined }).FEATURE_SPEC_FILE;

/** A closed categorical of the spec with two categories at least: the attribute the walk filters on. */
function categoricalOf(spec: FeatureSpec): { name: string; categories: readonly string[] } {
  for (const a of spec.attributes) if (a.type === 'categorical' && a.categories && a.categories.length >= 2) return { name: a.name, categories: a.categories };
  throw new Error(`${ACTIVE.file} has no closed categorical attribute to filter on`);
}

/** A complete vector of the active spec: the filtered categorical as given, every other feature a valid value. */
function aVector(customerId: string, category: { name: string; value: string }, asOf: number): CustomerFeaturesMessageV2 {
  const features: Record<string, string | number | null> = {};
  for (const column of featureColumns(ACTIVE.spec)) {
    const attribute = ACTIVE.spec.attributes.find((a) => a.name === column.name);
    features[column.name] = attribute?.type === 'boolean' ? attribute.false_value : column.type === 'categorical' ? (column.categories?.[0] ?? 'other') : 1;
  }
  features[category.name] = category.value;
  return aFeatureVector(customerId, ACTIVE.hash, features, asOf);
}

function aScoredCustomer(customerId: string, probability: number, revenueAtRisk: number, arm: string, asOf: number): Prediction {
  return aPrediction(customerId, 'customers-page-spec', probability, asOf, {
    revenue_at_risk: revenueAtRisk,
    experiment: { name: 'customers-page-spec', arm },
    scored_at: new Date(asOf).toISOString(),
  });
}

/**
 * The customer list in headless Chromium against monitoring (a process) on the real broker and
 * Postgres: 30 customers published as predictions and vectors of the active spec; each search, filter,
 * sort and page the page shows is compared with monitoring's own answer for the same query.
 */
describe('customer list page in headless Chromium: monitoring process, real Kafka and Postgres', () => {
  const logger = createLogger({ service: 'customers-page-spec', level: 'silent' });
  const prefix = uniqueId('cl');
  const ids = Array.from({ length: CUSTOMERS }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`);
  const category = categoricalOf(ACTIVE.spec);
  let monitoring: ServiceProcess;
  let monitoringUrl: string;
  let serviceEnv: Record<string, string>;
  let agent: string;
  let browser: Browser;
  let page: Page;

  const api = async (query: string, accept = 'application/json'): Promise<Response> => {
    const response = await fetch(`${monitoringUrl}/v1/customers?${query}`, { headers: { authorization: `Bearer ${agent}`, accept } });
    assert.equal(response.status, 200, `${query}: ${response.status} ${await response.clone().text()}`);
    return response;
  };
  const apiList = async (query: string) => customerListPageSchema.parse(await (await api(query)).json());
  /** The page's query as its URL says, as the API takes it (the page asks 25 a page). */
  const queryShown = () => {
    const params = new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '');
    params.set('page_size', params.get('page_size') ?? '25');
    return params.toString();
  };
  const rowsShown = () => page.$$eval('[data-testid^="customer-row-"]', (rows) => rows.map((r) => (r as HTMLElement).dataset['customerId']));
  /** Does `action` (a navigation of the workspace) and waits until the page it leads to has rendered. */
  const afterRender = async (action: () => Promise<unknown>) => {
    const before = Number(await page.evaluate(() => document.body.dataset['rendered'] ?? 0));
    await action();
    await page.waitForFunction((n) => Number(document.body.dataset['rendered'] ?? 0) > n, before, { timeout: 30_000 });
  };
  /** The rows shown are the API's for the page's own query, in its order. */
  const assertRowsAsApi = async (what: string) => {
    const answer = await apiList(queryShown());
    assert.ok(answer.customers.length > 0, `${what}: the API lists customers for ${queryShown()}`);
    assert.deepEqual(
      await rowsShown(),
      answer.customers.map((c) => c.customer_id),
      what,
    );
    return answer;
  };

  before(async () => {
    assertChromiumInstalled();
    assert.ok(fs.existsSync(BUNDLE), `no dashboard bundle at ${BUNDLE}: run \`bash apps/dashboard/scripts/build-web.sh\``);
    const { kafkaBrokers, databaseUrl } = testInfra();
    const port = await freeLoopbackPort();
    serviceEnv = {
      KAFKA_BROKERS: kafkaBrokers,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      AUTH_JWT_SECRET: SECRET,
      FEATURE_SPEC_FILE: ACTIVE.file,
      MONITORING_REFRESH_INTERVAL_MS: '600000',
    };
    monitoring = spawnService('monitoring', { ...serviceEnv, KAFKA_GROUP_PREFIX: uniqueId('cl') }, { port });
    monitoringUrl = `http://127.0.0.1:${port}`;
    await waitUntilReady(monitoring);
    agent = await signTestToken(SECRET, ['agent'], { sub: 'ana@example.com', expiresIn: '1h' });

    // Scores 5 to 92, revenues in another order, two arms, the categorical alternating; every third
    // customer scored twice (a score change).
    const now = Date.now();
    const arm = (i: number) => (i % 2 === 0 ? `treatment-${prefix}` : `control-${prefix}`);
    await publishByCustomer(Topics.predictions, [
      ...ids.filter((_, i) => i % 3 === 0).map((id, i) => aScoredCustomer(id, 0.5, 100, arm(i * 3), now - 3 * HOUR)),
      ...ids.map((id, i) => aScoredCustomer(id, 0.05 + i * 0.03, ((i * 7) % CUSTOMERS) * 100 + 50, arm(i), now - HOUR - i * 60_000)),
    ]);
    await publishByCustomer(
      Topics.customerFeatures,
      ids.map((id, i) => aVector(id, { name: category.name, value: category.categories[i % 2]! }, now - HOUR)),
    );
    const firstCategory = `q=${prefix}&attr.${encodeURIComponent(category.name)}=${encodeURIComponent(category.categories[0]!)}&page_size=100`;
    await eventually('monitoring lists the 30 customers with their score changes and vectors', async () => {
      const answer = await apiList(`q=${prefix}&page_size=100`);
      const changes = answer.customers.filter((c) => c.score_change !== null).length;
      return answer.total === CUSTOMERS && changes === CUSTOMERS / 3 && (await apiList(firstCategory)).total === CUSTOMERS / 2 ? answer : undefined;
    });

    browser = await launchHeadlessChromium();
    page = await browser.newPage({ viewport: DESKTOP, deviceScaleFactor: 1, timezoneId: 'Europe/Paris', acceptDownloads: true });
    page.on('pageerror', (error) => process.stderr.write(`page error: ${error.stack ?? error.message}\n`));
  });

  after(async () => {
    await browser?.close();
    if (monitoring) await stopService(monitoring, logger);
  });

  it('signed out, the page asks to sign in; signed in with an agent token, it lists the customers', async () => {
    await page.goto(`${monitoringUrl}/#/customers`);
    await page.getByTestId('customers-signed-out').waitFor({ timeout: 30_000 });
    await assertAccessible(page, 'customer list, signed out');
    await afterRender(async () => {
      await page.getByTestId('sign-in').click();
      await page.getByTestId('signin-name').fill('Ana');
      await page.getByTestId('signin-token').fill(agent);
      await page.getByTestId('signin-save').click();
    });
    await page.getByTestId('customers-filters').waitFor();
  });

  it('searches by Enter in the search box: the rows are the API’s for that search', async () => {
    await afterRender(async () => {
      await page.getByTestId('customers-search').fill(`${prefix}-1`);
      await page.getByTestId('customers-search').press('Enter');
    });
    assert.equal(new URLSearchParams(new URL(page.url()).hash.split('?')[1]).get('q'), `${prefix}-1`, 'the search is in the URL');
    const answer = await assertRowsAsApi('search');
    assert.equal(answer.total, 10, `${prefix}-10 to -19`);
    const first = answer.customers[0]!;
    const row = page.getByTestId(`customer-row-${first.customer_id}`);
    assert.equal(Number(await row.locator('.score').getAttribute('data-value')), first.risk_score);
    assert.equal(await page.getByTestId(`customer-link-${first.customer_id}`).getAttribute('href'), `#/customers/${first.customer_id}`);
  });

  it('filters by risk level and score range from the form', async () => {
    await afterRender(async () => {
      await page.getByTestId('customers-search').fill(prefix);
      await page.getByTestId('customers-risk-high').check();
      await page.getByTestId('customers-risk-critical').check();
      await page.getByTestId('customers-score-min').fill('60');
      await page.getByTestId('customers-score-max').fill('90');
      await page.getByTestId('customers-apply').click();
    });
    const params = new URLSearchParams(new URL(page.url()).hash.split('?')[1]);
    assert.deepEqual([params.get('risk_level'), params.get('score_min'), params.get('score_max')], ['high,critical', '60', '90']);
    const answer = await assertRowsAsApi('risk level and score');
    assert.ok(answer.customers.every((c) => c.risk_score >= 60 && c.risk_score <= 90));
  });

  it('adds an attribute filter of the active spec with the picker', async () => {
    await afterRender(async () => {
      await page.getByTestId('customers-clear').click();
    });
    await afterRender(async () => {
      await page.getByTestId('customers-search').fill(prefix);
      await page.getByTestId('customers-attr-picker').selectOption(category.name);
      await page.getByTestId('customers-attr-add').click();
      await page.locator(`[data-attribute-control="${category.name}"]`).selectOption(category.categories[1]!);
      await page.getByTestId('customers-apply').click();
    });
    assert.equal(new URLSearchParams(new URL(page.url()).hash.split('?')[1]).get(`attr.${category.name}`), category.categories[1]);
    const answer = await assertRowsAsApi('attribute filter');
    assert.equal(answer.total, CUSTOMERS / 2);
    await assertAccessible(page, 'customer list with an attribute filter');
  });

  it('sorts by revenue at risk from the column header by keyboard, then pages to page 2', async () => {
    await afterRender(() => page.goto(`${monitoringUrl}/#/customers?q=${prefix}`));
    // By keyboard: the column header is a button.
    await afterRender(async () => {
      await page.getByTestId('customers-sort-revenue_at_risk').focus();
      await page.keyboard.press('Enter');
    });
    assert.equal(new URLSearchParams(new URL(page.url()).hash.split('?')[1]).get('sort'), '-revenue_at_risk');
    const sorted = await assertRowsAsApi('sorted by revenue at risk');
    const revenues = sorted.customers.map((c) => c.revenue_at_risk);
    assert.deepEqual(
      revenues,
      [...revenues].sort((a, b) => b - a),
    );
    assert.equal(await page.locator('th[aria-sort="descending"]').textContent(), 'Revenue at risk ↓');

    await afterRender(() => page.getByTestId('customers-next').click());
    const second = await assertRowsAsApi('page 2');
    assert.equal(second.page, 2);
    assert.equal(second.customers.length, CUSTOMERS - 25);
    assert.equal(await page.getByTestId('customers-page-label').textContent(), 'Page 2 of 2');
    assert.equal(await page.getByTestId('customers-total').textContent(), '30 customers');
    assert.equal(await page.getByTestId('customers-next').getAttribute('aria-disabled'), 'true');
    await afterRender(() => page.goBack());
    assert.equal(new URLSearchParams(new URL(page.url()).hash.split('?')[1]).get('page'), null, 'Back returns to page 1');
  });

  it('exports the current filter as CSV: the file’s rows are the API’s CSV for that filter', async () => {
    await afterRender(() => page.goto(`${monitoringUrl}/#/customers?q=${prefix}&alert_state=none&sort=-revenue_at_risk`));
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.getByTestId('customers-export').click()]);
    assert.equal(download.suggestedFilename(), 'customers.csv');
    const file = fs.readFileSync((await download.path())!, 'utf8');
    const expected = await (await api(`q=${prefix}&alert_state=none&sort=-revenue_at_risk`, 'text/csv')).text();
    const rows = parse(file, { columns: true }) as Record<string, string>[];
    assert.equal(rows.length, CUSTOMERS, 'the whole filter, not the page shown');
    assert.deepEqual(rows, parse(expected, { columns: true }));
  });

  it('shows a malformed filter’s parameter by its control', async () => {
    await afterRender(() => page.goto(`${monitoringUrl}/#/customers?q=${prefix}&score_min=high&attr.no_such_attribute=1`));
    await page.getByTestId('customers-invalid').waitFor();
    assert.match((await page.getByTestId('customers-field-error-score_min').textContent()) ?? '', /^score_min: /);
    assert.equal(await page.getByTestId('customers-score-min').getAttribute('aria-invalid'), 'true');
    assert.match((await page.getByTestId('customers-field-error-attr.no_such_attribute').textContent()) ?? '', /^attr\.no_such_attribute: not an attribute/);
    await assertAccessible(page, 'customer list with a refused filter');
  });

  it('shows no customer with a way to clear the filter, and is accessible at desktop and phone widths', async () => {
    await afterRender(() => page.goto(`${monitoringUrl}/#/customers?q=${prefix}-nobody`));
    await page.getByTestId('state-empty').waitFor();
    await afterRender(() => page.getByTestId('customers-empty-clear').click());
    assert.equal(new URL(page.url()).hash, '#/customers');

    await afterRender(() => page.goto(`${monitoringUrl}/#/customers?q=${prefix}&sort=-score_change`));
    await page.getByTestId('customers-table').waitFor();
    await assertAccessible(page, 'customer list');
    await saveScreenshot(page, 'customers-page');
    await page.setViewportSize(PHONE);
    // Rendered at phone width: the filters beyond the search fold away, the rows stack.
    await afterRender(() => page.goto(`${monitoringUrl}/#/customers?q=${prefix}`));
    assert.equal(await page.locator('details.more-filters').getAttribute('open'), null);
    assert.equal(await page.locator('table.customers thead').isVisible(), false);
    assert.equal(await horizontalOverflow(page), 0, 'no sideways scrolling at 375 px');
    await assertAccessible(page, 'customer list at 375 px');
    await saveScreenshot(page, 'customers-page-phone');
    await page.setViewportSize(DESKTOP);
  });

  it('with the OpenID provider, Sign in goes there and back to the same list, and the CSV is a plain link the session cookie authorises', async () => {
    const port = await freeLoopbackPort();
    const url = `http://127.0.0.1:${port}`;
    const provider = await LocalOpenIdProvider.start({ redirectUri: `${url}/auth/callback` });
    const withSignIn = spawnService('monitoring', { ...serviceEnv, KAFKA_GROUP_PREFIX: uniqueId('cl-oidc'), ...provider.monitoringEnv() }, { port });
    const context = await browser.newContext({ viewport: DESKTOP, timezoneId: 'Europe/Paris', acceptDownloads: true });
    try {
      await waitUntilReady(withSignIn);
      const tab = await context.newPage();
      const list = `#/customers?q=${prefix}&sort=-revenue_at_risk`;
      await tab.goto(`${url}/${list}`);
      await tab.getByTestId('customers-sign-in').click();
      await tab.waitForURL((u) => u.pathname.startsWith('/interaction/'));
      await tab.getByLabel('Username').fill('agent');
      await tab.getByLabel('Password').fill('agent-demo');
      await tab.getByRole('button', { name: 'Sign in' }).click();
      await tab.getByTestId('customers-table').waitFor({ timeout: 30_000 });
      assert.equal(new URL(tab.url()).hash, list, 'back to the same list');

      const link = tab.getByTestId('customers-export');
      assert.equal(await link.evaluate((node) => node.tagName), 'A', 'a plain download link');
      const [download] = await Promise.all([tab.waitForEvent('download', { timeout: 30_000 }), link.click()]);
      assert.equal(download.suggestedFilename(), 'customers.csv');
      const rows = parse(fs.readFileSync((await download.path())!, 'utf8'), { columns: true }) as Record<string, string>[];
      assert.equal(rows.length, CUSTOMERS);
      assert.deepEqual(rows, parse(await (await api(`q=${prefix}&sort=-revenue_at_risk`, 'text/csv')).text(), { columns: true }));
    } finally {
      await context.close();
      await stopService(withSignIn, logger);
      await provider.stop();
    }
  });
});
