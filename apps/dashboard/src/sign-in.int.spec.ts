import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Database } from '@churn/db';
import { spawnService, stopService, waitUntilReady, type ServiceProcess } from '@churn/local-stack';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { freeLoopbackPort, LocalOpenIdProvider, testInfra, uniqueId } from '@churn/testing';
import { launchHeadlessChromium } from './e2e/headless-chromium';

const SECRET = 'dashboard-sign-in-spec-secret-of-32-characters';


describe('the dashboard signs in through the OpenID provider, in headless Chromium', () => {
  const logger = createLogger({ service: 'dashboard-sign-in-spec', level: 'silent' });
  let provider: LocalOpenIdProvider;
  let monitoring: ServiceProcess;
  let monitoringUrl: string;
  let browser: Browser;
  let page: Page;
  let db: Database;

  /** The provider's own form, filled in and submitted as a person would. */
  async function submitProviderForm(username: string, password: string): Promise<void> {
    await page.waitForURL((url) => url.origin === provider.issuer && url.pathname.startsWith('/interaction/'));
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  before(async () => {
    const { kafkaBrokers, databaseUrl } = testInfra();
    db = new Database({ url: databaseUrl, poolSize: 1, applicationName: 'dashboard-sign-in-spec' }, logger, createMetricsRegistry('dashboard-sign-in-spec'));
    const port = await freeLoopbackPort();
    monitoringUrl = `http://127.0.0.1:${port}`;
    provider = await LocalOpenIdProvider.start({ redirectUri: `${monitoringUrl}/auth/callback` });
    monitoring = spawnService(
      'monitoring',
      { KAFKA_BROKERS: kafkaBrokers, DATABASE_URL: databaseUrl, KAFKA_GROUP_PREFIX: uniqueId('dash-sign-in'), LOG_LEVEL: 'warn', AUTH_JWT_SECRET: SECRET, MONITORING_REFRESH_INTERVAL_MS: '600000', ...provider.monitoringEnv() },
      { port },
    );
    await waitUntilReady(monitoring);
    browser = await launchHeadlessChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });

  after(async () => {
    await browser?.close();
    if (monitoring) await stopService(monitoring, logger);
    await provider?.stop();
    await db?.close();
  });

  it('Sign in goes to the provider and back to the page; the person shows; an ended session goes to sign-in and back; Sign out', async () => {
    await page.goto(`${monitoringUrl}/?refresh=600`);
    await page.getByTestId('queue-locked').waitFor();
    assert.equal(await page.getByTestId('signed-in').textContent(), 'Not signed in');
    await page.getByTestId('sign-in').click();
    await submitProviderForm('agent', 'agent-demo');
    await page.waitForURL(`${monitoringUrl}/?refresh=600`);
    await page.getByText('Signed in as Ada Agent').waitFor();
    assert.equal(await page.getByTestId('sign-in').textContent(), 'Sign out');
    await page.waitForFunction(() => !document.querySelector('[data-testid="queue-locked"]') && Number(document.body.dataset['loads']) >= 1);
    assert.equal(await page.getByTestId('queue-locked').count(), 0, 'the queue is read with the session');

    // The session ends (moved past its absolute end rather than waited for): the next read goes to
    // sign-in and back here. The provider still knows the person (its own session), so it returns
    // at once without its form, as a company's provider does: a new session cookie is the proof.
    const sessionCookie = async () => (await page.context().cookies(monitoringUrl)).find((c) => c.name === 'churn_session')?.value;
    const ended = await sessionCookie();
    await db.query('spec.end_sessions', `UPDATE monitoring_sessions SET expires_at = now() - interval '1 second' WHERE subject = 'agent@sandbox.invalid'`);
    await page.click('#refresh-now');
    // The provider's and the callback's redirects never commit a page: wait on the new cookie itself.
    for (const deadline = Date.now() + 30_000; (await sessionCookie()) === ended; ) {
      assert.ok(Date.now() < deadline, 'no new session within 30 s of the ended one');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await page.waitForURL(`${monitoringUrl}/?refresh=600`);
    await page.getByText('Signed in as Ada Agent').waitFor();

    await page.getByTestId('sign-in').click();
    await page.getByText('Not signed in').waitFor();
    const session = (await (await page.request.get(`${monitoringUrl}/v1/session`)).json()) as { signed_in: boolean };
    assert.equal(session.signed_in, false);
  });
});
