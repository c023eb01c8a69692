import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { Browser, Download, Page } from 'playwright-core';
import { alertDetailSchema, alertQueuePageSchema, customerPageSchema, Topics, type CustomerFeaturesMessageV2 } from '@churn/contracts';
import { loadFeatureSpec, specHash, TELCO_SPEC_PATH } from '@churn/feature-spec';
import { parseTelcoCsv, rowFeatures } from '@churn/telco-replay';
import { eventually, publishByCustomer, signTestToken, uniqueId, until } from '@churn/testing';
import { assertAccessible } from './e2e/accessibility';
import { assertChromiumInstalled, launchHeadlessChromium } from './e2e/headless-chromium';
import { signInWithProvider } from './e2e/oidc-sign-in';
import { REPO } from './e2e/telco-fixture';
import { startWorkspaceStack, type WorkspaceStack } from './e2e/workspace-stack';
import { saveScreenshot } from './e2e/screenshots';

const DESKTOP = { width: 1280, height: 860 };
/** Telco customers streamed: the most at-risk ones (alerts for the queue) and others (a population). */
const AT_RISK = 8;
const OTHERS = 32;

/** Real Telco customers as the ingest service would send them: the active spec's vectors, as of now. */
function telcoVectors(prefix: string): CustomerFeaturesMessageV2[] {
  const active = fs.readFileSync(path.join(REPO, 'models', 'active'), 'utf8').trim();
  const probabilities = new Map(
    (
      parse(fs.readFileSync(path.join(REPO, 'models', active, 'train-predictions.csv')), { columns: true }) as {
        customerID: string;
        churn_probability: string;
      }[]
    ).map((r) => [r.customerID, Number(r.churn_probability)]),
  );
  const rows = parseTelcoCsv(fs.readFileSync(path.join(REPO, 'data', 'telco', 'train.csv')));
  const byRisk = [...rows].sort((a, b) => probabilities.get(b.customerID)! - probabilities.get(a.customerID)!);
  const chosen = [...byRisk.slice(0, AT_RISK), ...byRisk.slice(-OTHERS)];
  const hash = specHash(loadFeatureSpec(TELCO_SPEC_PATH));
  const now = new Date().toISOString();
  return chosen.map((row) => ({
    customer_id: `${prefix}-${row.customerID}`,
    feature_schema_version: 2,
    spec_hash: hash,
    features: { ...rowFeatures(row) },
    as_of: now,
    source_event_id: uniqueId('e'),
  }));
}

/**
 * A retention agent's morning on the running platform, in headless Chromium: Telco customers' vectors
 * stream through the scorer (real model, real explanations) into alerting (real rules) and monitoring
 * (the read model), all separate processes on the real broker and Postgres. The agent signs in through
 * the local OpenID provider, opens the queue, opens the most urgent customer, reads the drivers,
 * acknowledges the alert with a note, records an intervention, and exports the filtered customer list
 * as CSV. Each step is checked against the services' own APIs, each page with axe-core, and each page
 * is photographed for the README.
 */
describe('a retention agent’s morning in headless Chromium: sign-in, queue, customer, acknowledge, intervention, CSV', () => {
  let stack: WorkspaceStack;
  let browser: Browser;
  let page: Page;
  let agentToken: string;
  const prefix = uniqueId('AM');

  const api = async <T>(url: string): Promise<T> => {
    const response = await fetch(url, { headers: { authorization: `Bearer ${agentToken}` } });
    assert.equal(response.status, 200, `${url}: ${response.status}`);
    return (await response.json()) as T;
  };

  before(async () => {
    assertChromiumInstalled();
    stack = await startWorkspaceStack({ name: 'agent-morning', upstreams: ['scorer', 'alerting'], env: { scorer: { SCORER_STREAM_ENABLED: 'true' } } });
    agentToken = await signTestToken(stack.jwtSecret, ['agent'], { sub: 'spec.reader@example.com', expiresIn: '30m' });
    const vectors = telcoVectors(prefix);
    await publishByCustomer(Topics.customerFeatures, vectors);
    // Scored, alerted and in monitoring's read model: every customer listed, the at-risk ones with an alert.
    await eventually('every customer scored and listed by monitoring, the at-risk ones alerted', async () => {
      const listed = await api<{ customers: { customer_id: string; alert: unknown }[]; total: number }>(
        `${stack.monitoringUrl}/v1/customers?q=${prefix}&page_size=100`,
      );
      return listed.total === vectors.length && listed.customers.filter((c) => c.alert !== null).length >= 1 ? listed : undefined;
    });
    // This morning's queue is this platform's: alerts other specs left open on the shared test
    // database are resolved first, so the most urgent open alert is one of these customers'.
    await until('no open alert left by other specs', async () => {
      const open = alertQueuePageSchema.parse(await api<unknown>(`${stack.monitoringUrl}/v1/alerts?state=pending,acknowledged&page_size=500`));
      const others = open.alerts.filter((a) => !a.customer_id.startsWith(`${prefix}-`)).map((a) => a.alert_id);
      if (others.length === 0) return true;
      const cleared = await fetch(`${stack.monitoringUrl}/v1/alerts/bulk`, {
        method: 'POST',
        headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'resolve', ids: others, note: 'left by another spec' }),
      });
      assert.equal(cleared.status, 200, await cleared.text());
      return false;
    });
    browser = await launchHeadlessChromium();
    page = await browser.newPage({ viewport: DESKTOP, deviceScaleFactor: 1, timezoneId: 'America/New_York', acceptDownloads: true });
    page.on('pageerror', (error) => process.stderr.write(`page error: ${error.stack ?? error.message}\n`));
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('signs in, works the most urgent customer from the queue, and exports the filtered list', async () => {
    // Sign in through the provider, from the queue; back on the queue.
    await page.goto(`${stack.monitoringUrl}/#/queue`);
    assert.equal(await signInWithProvider(page, stack.provider!, 'agent', 'agent-demo'), 'Ada Agent');
    assert.equal(new URL(page.url()).hash, '#/queue');
    const firstRow = page.locator('[data-testid^="queue-row-"]').first();
    await firstRow.waitFor({ timeout: 30_000 });
    const alertId = ((await firstRow.getAttribute('data-testid')) ?? '').replace('queue-row-', '');
    // The queue's default view: open alerts, the nearest deadline first.
    const urgent = alertQueuePageSchema.parse(await api<unknown>(`${stack.monitoringUrl}/v1/alerts?state=pending,acknowledged&sort=due_at&page_size=1`));
    assert.equal(alertId, urgent.alerts[0]!.alert_id, 'the queue’s first row is the open alert due soonest');
    assert.ok(urgent.alerts[0]!.customer_id.startsWith(`${prefix}-`));
    await assertAccessible(page, 'queue');
    await saveScreenshot(page, 'queue');

    // The most urgent customer: its page, and the drivers as the API has them.
    const customerId = urgent.alerts[0]!.customer_id;
    await page.getByTestId(`queue-customer-${customerId}`).click();
    await page.waitForFunction((id) => location.hash === `#/customers/${encodeURIComponent(id)}`, customerId);
    await page.getByTestId('drivers-waterfall').waitFor({ timeout: 30_000 });
    const detail = customerPageSchema.parse(await api<unknown>(`${stack.monitoringUrl}/v1/customers/${encodeURIComponent(customerId)}`));
    assert.ok(detail.drivers.length > 0, 'the scorer explained the score');
    const shownDrivers = await page
      .locator('[data-testid^="driver-"]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')!.replace(/^driver-/, '')));
    assert.deepEqual(
      shownDrivers,
      detail.drivers.map((d) => d.feature),
    );
    await assertAccessible(page, 'customer page');
    await saveScreenshot(page, 'customer');

    // Acknowledge with a note: alerting has it, by the signed-in person.
    const note = `Called ${customerId}: offered a 12-month contract (${uniqueId('n')})`;
    await page.getByTestId('alert-note').fill(note);
    await page.getByTestId('alert-ack').click();
    const acknowledged = await eventually('the alert acknowledged in alerting', async () => {
      const alert = alertDetailSchema.parse(await api<unknown>(`${stack.monitoringUrl}/v1/alerts/${alertId}`));
      return alert.status === 'acknowledged' ? alert : undefined;
    });
    assert.equal(acknowledged.acknowledged_by, 'Ada Agent');
    const history = await api<{ history: { note: string | null }[] }>(`${stack.monitoringUrl}/v1/alerts/${alertId}/history`);
    assert.ok(
      history.history.some((h) => h.note === note),
      'the note is in the alert’s history',
    );

    // Record the intervention: monitoring's timeline shows it, and so does the page.
    await page.getByTestId('intervention-action').fill('retention_call');
    await page.getByTestId('intervention-cost').fill('40');
    await page.getByTestId('intervention-save').click();
    await eventually('the intervention on the customer’s timeline', async () => {
      const now = customerPageSchema.parse(await api<unknown>(`${stack.monitoringUrl}/v1/customers/${encodeURIComponent(customerId)}`));
      return now.timeline.find((t) => t.kind === 'intervention' && t.action === 'retention_call');
    });
    await page.getByTestId('timeline-intervention').first().waitFor({ timeout: 30_000 });

    // The customer list filtered to today's risky customers, exported as CSV: the file is the API's.
    const filter = new URLSearchParams({ q: prefix, risk_level: 'critical,high', sort: '-score' });
    await page.goto(`${stack.monitoringUrl}/#/customers?${filter.toString()}`);
    await page.locator('[data-testid^="customer-row-"]').first().waitFor({ timeout: 30_000 });
    await assertAccessible(page, 'customer list');
    await saveScreenshot(page, 'customers');
    const [download] = await Promise.all([page.waitForEvent('download') as Promise<Download>, page.getByTestId('customers-export').click()]);
    assert.equal(download.suggestedFilename(), 'customers.csv');
    const file = fs.readFileSync((await download.path())!, 'utf8');
    const expected = await fetch(`${stack.monitoringUrl}/v1/customers?${filter.toString()}&format=csv`, { headers: { authorization: `Bearer ${agentToken}` } });
    const expectedRows = parse(await expected.text(), { columns: true }) as Record<string, string>[];
    const fileRows = parse(file, { columns: true }) as Record<string, string>[];
    assert.ok(fileRows.length >= 1);
    assert.deepEqual(fileRows, expectedRows);
  });
});
