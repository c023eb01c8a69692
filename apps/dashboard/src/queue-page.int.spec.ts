import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { alertQueuePageSchema, riskLevelOf, Topics, type Prediction } from '@churn/contracts';
import { spawnService, stopService, waitUntilReady, type ServiceProcess } from '@churn/local-stack';
import { createLogger } from '@churn/observability';
import { eventually, rawProducer, signTestToken, testInfra, uniqueId } from '@churn/testing';
import { assertAccessible, horizontalOverflow } from './e2e/accessibility';
import { assertChromiumInstalled, launchHeadlessChromium } from './e2e/headless-chromium';
import { saveScreenshot } from './e2e/screenshots';
import { DESKTOP, newWorkspaceTab, open, PHONE, signIn as signInWith, subjectOf } from './e2e/workspace-walk';
import { REPO } from './e2e/telco-fixture';

const SECRET = 'queue-page-spec-secret-of-at-least-32-characters';
const BUNDLE = path.join(REPO, 'apps', 'dashboard', 'dist', 'web', 'index.html');
/**
 * Critical alerts are due this many seconds after they are raised (alerting's rules file): long
 * enough to see one counting down, short enough to see it turn overdue within the walk.
 */
const CRITICAL_SLA_SECONDS = 40;
const SCORES = { critical: 92, high: 72 } as const;
/** The open alerts, newest first (the page's query for `#/queue?sort=-created_at`): this walk's alerts lead. */
const NEWEST = 'state=pending,acknowledged&sort=-created_at&page=1&page_size=50';
const AGENT = { name: 'Ana Agent', subject: subjectOf('Ana Agent') };
const signIn = (page: Page, name: string, roles: readonly string[]) => signInWith(page, SECRET, name, roles);

function prediction(customerId: string, level: keyof typeof SCORES): Prediction {
  const score = SCORES[level];
  const now = new Date().toISOString();
  return {
    prediction_id: uniqueId('qp'),
    customer_id: customerId,
    model_version: 'queue-page-spec-model',
    churn_probability: score / 100,
    risk_score: score,
    risk_level: riskLevelOf(score),
    recommended_action: 'retention_call',
    intervention_cost: 40,
    revenue_at_risk: 900,
    top_factors: [],
    experiment: null,
    source_event_id: uniqueId('qe'),
    as_of: now,
    scored_at: now,
  };
}

/** Does what changes the URL (a filter, a page, Back) and waits until the workspace drew the page for it. */
async function afterRender(page: Page, change: () => Promise<unknown>): Promise<void> {
  const before = await page.evaluate(() => Number(document.body.dataset['rendered'] ?? 0));
  await change();
  await page.waitForFunction(
    (n) => Number(document.body.dataset['rendered']) > n && document.querySelectorAll('[data-testid="state-loading"]').length === 0,
    before,
    { timeout: 30_000 },
  );
}

/** The alert ids the page shows, in order. */
function shownIds(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll<HTMLElement>('tr[data-testid^="queue-row-"]')].map((row) => row.dataset['alertId']!));
}

/** The page's query in the URL's fragment. */
function hashQuery(page: Page): URLSearchParams {
  return new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '');
}

/**
 * The work queue page in headless Chromium against monitoring and alerting (separate processes) on the
 * real broker and Postgres: alerts raised from published predictions, filtered, assigned, acknowledged
 * and resolved (one by one and in bulk) from the page, each checked against alerting's own API.
 */
describe('work queue page in headless Chromium: monitoring and alerting processes, real Kafka and Postgres', () => {
  const logger = createLogger({ service: 'queue-page-spec', level: 'silent' });
  const services: ServiceProcess[] = [];
  const critical = [uniqueId('QP-C'), uniqueId('QP-C'), uniqueId('QP-C')];
  const high = [uniqueId('QP-H'), uniqueId('QP-H'), uniqueId('QP-H')];
  const alertIdOf = new Map<string, string>();
  let rulesDir: string;
  let browser: Browser;
  let page: Page;
  let monitoringUrl: string;
  let alertingUrl: string;
  let agentToken: string;

  /** Alerting's own answer, read with the spec's agent token (the page's subject, so `owner=me` means the same person). */
  async function alerting<T>(route: string): Promise<T> {
    const response = await fetch(`${alertingUrl}${route}`, { headers: { authorization: `Bearer ${agentToken}` } });
    assert.equal(response.status, 200, `${route}: ${await response.clone().text()}`);
    return (await response.json()) as T;
  }
  const alertOf = async (customerId: string) =>
    alertQueuePageSchema.parse(await alerting<unknown>(`/v1/alerts?customer_id=${encodeURIComponent(customerId)}`)).alerts[0];
  /** What alerting lists for the page's query (the page's defaults filled in, as the page asks). */
  const listed = async (query: string) => alertQueuePageSchema.parse(await alerting<unknown>(`/v1/alerts?${query}`)).alerts.map((a) => a.alert_id);

  async function raise(customers: readonly string[], level: keyof typeof SCORES): Promise<void> {
    const producer = await rawProducer();
    await producer.send({ topic: Topics.predictions, messages: customers.map((c) => ({ key: c, value: JSON.stringify(prediction(c, level)) })) });
    await producer.close();
    for (const customer of customers)
      alertIdOf.set(customer, (await eventually(`alerting to raise the alert for ${customer}`, () => alertOf(customer))).alert_id);
  }
  const id = (customer: string) => alertIdOf.get(customer)!;

  before(async () => {
    assertChromiumInstalled();
    assert.ok(fs.existsSync(BUNDLE), `no dashboard bundle at ${BUNDLE}: run \`bash apps/dashboard/scripts/build-web.sh\` (bootstrap does)`);
    rulesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'churn-queue-page-rules-'));
    const rulesFile = path.join(rulesDir, 'alert-rules.json');
    fs.writeFileSync(rulesFile, JSON.stringify({ sla_hours: { critical: CRITICAL_SLA_SECONDS / 3600 } }));

    const { kafkaBrokers, databaseUrl } = testInfra();
    const base = Number(process.env['CHURN_TEST_SERVICE_PORT_BASE'] ?? 13000);
    const env = { KAFKA_BROKERS: kafkaBrokers, DATABASE_URL: databaseUrl, KAFKA_GROUP_PREFIX: uniqueId('qp'), LOG_LEVEL: 'warn', AUTH_JWT_SECRET: SECRET };
    const alertingService = spawnService('alerting', { ...env, ALERTING_RULES_FILE: rulesFile }, { port: base + 21 });
    alertingUrl = `http://127.0.0.1:${alertingService.port}`;
    services.push(alertingService);
    const monitoring = spawnService('monitoring', { ...env, ALERTING_URL: alertingUrl, MONITORING_REFRESH_INTERVAL_MS: '5000' }, { port: base + 22 });
    monitoringUrl = `http://127.0.0.1:${monitoring.port}`;
    services.push(monitoring);
    await Promise.all(services.map((s) => waitUntilReady(s)));
    agentToken = await signTestToken(SECRET, ['agent'], { sub: AGENT.subject, expiresIn: '1h' });

    await raise(critical, 'critical');
    await raise(high, 'high');

    browser = await launchHeadlessChromium();
    page = await newWorkspaceTab(browser);
  });

  after(async () => {
    await browser?.close();
    for (const service of services.reverse()) await stopService(service, logger);
    if (rulesDir) fs.rmSync(rulesDir, { recursive: true, force: true });
  });

  it('signed out, the queue shows no customer and asks to sign in; signed in as an agent, it lists the open alerts alerting lists', async () => {
    await open(page, `${monitoringUrl}/#/queue`, 'queue-signed-out');
    assert.equal(await page.locator('tr[data-testid^="queue-row-"]').count(), 0);
    await assertAccessible(page, 'queue page, signed out');

    await afterRender(page, () => signIn(page, AGENT.name, ['agent']));
    await page.getByTestId('queue-table').waitFor();
    assert.deepEqual(await shownIds(page), await listed('state=pending,acknowledged&sort=due_at&page=1&page_size=50'));
    // Newest first, this walk's alerts lead whatever other specs left in the database.
    await afterRender(page, () => page.selectOption('#queue-sort', '-created_at'));
    assert.deepEqual(await shownIds(page), await listed(NEWEST));
    for (const customer of [...critical, ...high]) {
      const link = page.getByTestId(`queue-customer-${customer}`);
      assert.equal(await link.getAttribute('href'), `#/customers/${customer}`);
      assert.equal(await page.getByTestId(`queue-row-${id(customer)}`).getAttribute('data-status'), 'pending');
    }
  });

  it('filters by level, owner and overdue narrow the rows as alerting’s API does, live in the URL, and Back returns to the previous filters', async () => {
    await eventually(
      'the critical alerts to pass their deadline',
      async () => ((await alertOf(critical[0]!))?.overdue ? true : undefined),
      (CRITICAL_SLA_SECONDS + 30) * 1000,
    );
    await open(page, `${monitoringUrl}/#/queue?sort=-created_at`, 'queue-table');

    await afterRender(page, () => page.selectOption('#queue-level', 'high'));
    assert.equal(hashQuery(page).get('level'), 'high');
    await page.waitForFunction(() => document.activeElement?.id === 'queue-level', undefined, { timeout: 5000 });
    const highIds = await shownIds(page);
    assert.deepEqual(highIds, await listed(`level=high&${NEWEST}`));
    for (const customer of high) assert.ok(highIds.includes(id(customer)), `${customer} is a high alert`);
    for (const customer of critical) assert.ok(!highIds.includes(id(customer)), `${customer} is critical, not high`);

    await afterRender(page, () => page.selectOption('#queue-owner', 'none'));
    assert.deepEqual(await shownIds(page), await listed(`level=high&owner=none&${NEWEST}`));

    await afterRender(page, () => page.selectOption('#queue-level', ''));
    await afterRender(page, () => page.getByTestId('queue-overdue').check());
    assert.equal(hashQuery(page).get('overdue'), 'true');
    const overdueIds = await shownIds(page);
    assert.deepEqual(overdueIds, await listed(`owner=none&overdue=true&${NEWEST}`));
    for (const customer of critical) assert.ok(overdueIds.includes(id(customer)), `${customer}'s deadline has passed`);
    for (const customer of high) assert.ok(!overdueIds.includes(id(customer)), `${customer} has 48 h`);

    await afterRender(page, () => page.goBack());
    assert.equal(hashQuery(page).get('overdue'), null);
    assert.equal(await page.locator('#queue-overdue').isChecked(), false);
    assert.deepEqual(await shownIds(page), await listed(`owner=none&${NEWEST}`));

    // Sort and page size from a link.
    await open(page, `${monitoringUrl}/#/queue?sort=-level&page_size=25`, 'queue-table');
    assert.equal(await page.locator('#queue-sort').inputValue(), '-level');
    assert.deepEqual(await shownIds(page), await listed('state=pending,acknowledged&sort=-level&page=1&page_size=25'));
  });

  it('an overdue row says so in words and with a sign, not by colour alone; a countdown ticks into overdue without asking alerting again', async () => {
    await open(page, `${monitoringUrl}/#/queue?level=critical&sort=-created_at`, 'queue-table');
    const late = page.getByTestId(`queue-row-${id(critical[0]!)}`);
    assert.equal(await late.getAttribute('data-overdue'), 'true');
    assert.match((await page.getByTestId(`queue-sla-${id(critical[0]!)}`).textContent()) ?? '', /^⚠ Overdue overdue by (less than a minute|\d+ min)$/);
    await open(page, `${monitoringUrl}/#/queue?level=high&sort=-created_at`, 'queue-table');
    assert.equal(await page.getByTestId(`queue-row-${id(high[0]!)}`).getAttribute('data-overdue'), 'false');
    assert.match((await page.getByTestId(`queue-sla-${id(high[0]!)}`).textContent()) ?? '', /^due in 4[67] h \d+ min$/);

    // A fresh critical alert: counting down when shown, overdue CRITICAL_SLA_SECONDS later, with no new request.
    const fresh = uniqueId('QP-F');
    await raise([fresh], 'critical');
    await open(page, `${monitoringUrl}/#/queue?level=critical&sort=-created_at`, `queue-row-${id(fresh)}`);
    const row = page.getByTestId(`queue-row-${id(fresh)}`);
    assert.equal(await row.getAttribute('data-overdue'), 'false', 'shown before its deadline (the machine took too long to open the page?)');
    assert.match((await page.getByTestId(`queue-sla-${id(fresh)}`).textContent()) ?? '', /^due in (less than a minute|\d+ min)$/);
    const requests = () => page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/v1/alerts?')).length);
    const before = await requests();
    await page.waitForFunction((rowId) => document.querySelector<HTMLElement>(`[data-testid="queue-row-${rowId}"]`)?.dataset['overdue'] === 'true', id(fresh), {
      timeout: (CRITICAL_SLA_SECONDS + 20) * 1000,
    });
    assert.match((await page.getByTestId(`queue-sla-${id(fresh)}`).textContent()) ?? '', /Overdue overdue by/);
    assert.equal(await requests(), before, 'the countdown ticks without fetching the queue again');
  });

  it('assign to me makes the signed-in agent the owner in alerting, assign to someone names that person, and owner=me lists mine', async () => {
    await open(page, `${monitoringUrl}/#/queue?level=high&sort=-created_at`, 'queue-table');
    await page.getByTestId(`queue-assign-me-${id(high[0]!)}`).click();
    await page.waitForFunction(
      (rowId) => document.querySelector(`[data-testid="queue-owner-${rowId}"]`)?.textContent === 'ana.agent@example.com',
      id(high[0]!),
      { timeout: 15_000 },
    );
    assert.equal((await alertOf(high[0]!))!.assignee, AGENT.subject);
    assert.match((await page.getByTestId('queue-notice').textContent()) ?? '', /assigned to ana\.agent@example\.com/);

    await page.getByTestId(`queue-assign-${id(high[1]!)}`).click();
    await page.getByTestId('queue-assignee').fill('bo.colleague@example.com');
    await page.getByTestId('confirm-ok').click();
    await eventually(
      'alerting to record the assignee',
      async () => ((await alertOf(high[1]!))!.assignee === 'bo.colleague@example.com' ? true : undefined),
      15_000,
    );
    await page.waitForFunction(
      (rowId) => document.querySelector(`[data-testid="queue-owner-${rowId}"]`)?.textContent === 'bo.colleague@example.com',
      id(high[1]!),
      { timeout: 15_000 },
    );

    await afterRender(page, () => page.selectOption('#queue-owner', 'me'));
    const mine = await shownIds(page);
    assert.deepEqual(mine, await listed(`level=high&owner=me&${NEWEST}`));
    assert.ok(mine.includes(id(high[0]!)) && !mine.includes(id(high[1]!)));

    // A named person, typed: the URL carries the name.
    await afterRender(page, async () => {
      await page.selectOption('#queue-owner', 'person');
      await page.getByTestId('queue-owner-person').fill('bo.colleague@example.com');
      await page.getByTestId('queue-owner-person').press('Enter');
    });
    assert.equal(hashQuery(page).get('owner'), 'bo.colleague@example.com');
    assert.deepEqual(await shownIds(page), [id(high[1]!)]);
  });

  it('acknowledging with a note records it in alerting, and the history under the row shows who did what with the note', async () => {
    const note = `Called the customer, offered a loyalty discount ${uniqueId('n')}`;
    await open(page, `${monitoringUrl}/#/queue?level=critical&sort=-created_at`, 'queue-table');
    await page.getByTestId(`queue-ack-${id(critical[1]!)}`).click();
    await page.getByTestId('queue-note').fill(note);
    await page.getByTestId('confirm-ok').click();
    await page.waitForFunction((rowId) => document.querySelector(`[data-testid="queue-state-${rowId}"]`)?.textContent === 'acknowledged', id(critical[1]!), {
      timeout: 15_000,
    });
    const acknowledged = (await alertOf(critical[1]!))!;
    assert.equal(acknowledged.status, 'acknowledged');
    assert.equal(acknowledged.acknowledge_note, note);
    assert.equal(await page.getByTestId(`queue-row-${id(critical[1]!)}`).getAttribute('data-overdue'), 'false', 'an acknowledged alert is no longer overdue');

    await page.getByTestId(`queue-history-toggle-${id(critical[1]!)}`).click();
    const history = page.getByTestId(`queue-history-${id(critical[1]!)}`);
    await history.locator('li').nth(1).waitFor({ timeout: 15_000 });
    assert.equal(await page.getByTestId(`queue-history-toggle-${id(critical[1]!)}`).getAttribute('aria-expanded'), 'true');
    const entries = await history.locator('li').allTextContents();
    const api = await alerting<{ history: { action: string; note: string | null }[] }>(`/v1/alerts/${id(critical[1]!)}/history`);
    assert.equal(entries.length, api.history.length);
    assert.match(entries[0]!, /Raised by system:rules/);
    assert.match(entries.at(-1)!, new RegExp(`Acknowledged by ${AGENT.subject.replace(/\./g, '\\.')}.*${note}`));
    await assertAccessible(page, 'queue page with a history open');
  });

  it('bulk resolve: two rows selected with the keyboard, a note required, both resolved in alerting with that note', async () => {
    const note = `Both renewed on the annual plan ${uniqueId('n')}`;
    const [first, second] = [id(high[0]!), id(high[2]!)];
    await open(page, `${monitoringUrl}/#/queue?level=high&sort=-created_at`, 'queue-table');
    for (const alertId of [first, second]) {
      await page.getByTestId(`queue-select-${alertId}`).focus();
      await page.keyboard.press('Space');
    }
    assert.equal(await page.getByTestId('queue-selected-count').textContent(), '2 alerts selected');
    await page.getByTestId('queue-bulk-resolve').click();
    // Without a note the dialog stays open and nothing is resolved.
    await page.getByTestId('confirm-ok').click();
    assert.equal(await page.getByTestId('confirm-dialog').isVisible(), true);
    assert.equal((await alertOf(high[0]!))!.status, 'pending');
    await page.getByTestId('queue-note').fill(note);
    await page.getByTestId('confirm-ok').click();
    await page.waitForFunction(() => /Bulk resolve: 2 resolved/.test(document.querySelector('[data-testid="queue-notice"]')?.textContent ?? ''), undefined, {
      timeout: 15_000,
    });
    for (const customer of [high[0]!, high[2]!]) {
      const resolved = (await alertOf(customer))!;
      assert.equal(resolved.status, 'resolved', customer);
      assert.equal(resolved.resolve_note, note, customer);
    }
    // The open queue no longer lists them; the selection is gone.
    const shown = await shownIds(page);
    assert.ok(!shown.includes(first) && !shown.includes(second));
    assert.equal(await page.getByTestId('queue-selected-count').textContent(), '0 alerts selected');

    // Select all on the page, then Escape: nothing changes.
    await page.getByTestId('queue-select-all').check();
    assert.equal(await page.getByTestId('queue-selected-count').textContent(), shown.length === 1 ? '1 alert selected' : `${shown.length} alerts selected`);
    await page.getByTestId('queue-bulk-acknowledge').click();
    await page.keyboard.press('Escape');
    await page.getByTestId('confirm-dialog').waitFor({ state: 'hidden' });
    assert.equal((await alertOf(high[1]!))!.status, 'pending');
  });

  it('a malformed filter in the link is refused naming the parameter; no match shows the empty state', async () => {
    await open(page, `${monitoringUrl}/#/queue?level=urgent`, 'queue-bad-filter');
    assert.match((await page.getByTestId('queue-bad-filter').textContent()) ?? '', /level/);
    await open(page, `${monitoringUrl}/#/queue?page_size=9999`, 'queue-bad-filter');
    assert.match((await page.getByTestId('queue-bad-filter').textContent()) ?? '', /page_size/);
    await open(page, `${monitoringUrl}/#/queue?owner=${uniqueId('nobody')}`, 'state-empty');
    assert.match((await page.getByTestId('state-empty').textContent()) ?? '', /No alerts match these filters/);
    await assertAccessible(page, 'queue page, empty');
  });

  it('is axe-clean at desktop and phone widths, stacks into cards at 375 px without sideways scrolling', async () => {
    await open(page, `${monitoringUrl}/#/queue?state=all&sort=-created_at`, 'queue-table');
    await assertAccessible(page, 'queue page at desktop width');
    await saveScreenshot(page, 'queue-page');
    await page.setViewportSize(PHONE);
    await open(page, `${monitoringUrl}/#/queue?level=critical&sort=-created_at`, 'queue-table');
    assert.equal(await horizontalOverflow(page), 0, 'no sideways scrolling at 375 px');
    assert.equal(
      await page.getByTestId(`queue-row-${id(critical[0]!)}`).evaluate((row) => getComputedStyle(row).display),
      'block',
      'each alert is a card, its values labelled',
    );
    await page.getByTestId(`queue-history-toggle-${id(critical[1]!)}`).click();
    await page
      .getByTestId(`queue-history-${id(critical[1]!)}`)
      .locator('li')
      .first()
      .waitFor();
    assert.equal(await horizontalOverflow(page), 0, 'no sideways scrolling with a history open');
    await assertAccessible(page, 'queue page at 375 px');
    await saveScreenshot(page, 'queue-page-phone');
    await page.setViewportSize(DESKTOP);
  });

  it('a token without the agent role is told why the queue is closed to it', async () => {
    await open(page, `${monitoringUrl}/#/queue`, 'queue-table');
    await afterRender(page, () => signIn(page, 'Vic Viewer', ['viewer']));
    await page.getByTestId('queue-forbidden').waitFor();
    assert.match((await page.getByTestId('queue-forbidden').textContent()) ?? '', /agent or admin role/);
    assert.equal(await page.locator('tr[data-testid^="queue-row-"]').count(), 0);
    await assertAccessible(page, 'queue page, refused');
  });
});
