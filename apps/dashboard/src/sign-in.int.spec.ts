import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Database } from '@churn/db';
import { createLogger, createMetricsRegistry } from '@churn/observability';
import { testInfra, until } from '@churn/testing';
import { launchHeadlessChromium } from './e2e/headless-chromium';
import { signInWithProvider, signOut } from './e2e/oidc-sign-in';
import { startWorkspaceStack, type WorkspaceStack } from './e2e/workspace-stack';

describe('the dashboard signs in through the OpenID provider, in headless Chromium', () => {
  const logger = createLogger({ service: 'dashboard-sign-in-spec', level: 'silent' });
  let stack: WorkspaceStack;
  let monitoringUrl: string;
  let browser: Browser;
  let page: Page;
  let db: Database;

  before(async () => {
    db = new Database(
      { url: testInfra().databaseUrl, poolSize: 1, applicationName: 'dashboard-sign-in-spec' },
      logger,
      createMetricsRegistry('dashboard-sign-in-spec'),
    );
    stack = await startWorkspaceStack({ name: 'dashboard-sign-in', upstreams: [], env: { monitoring: { MONITORING_REFRESH_INTERVAL_MS: '600000' } } });
    monitoringUrl = stack.monitoringUrl;
    browser = await launchHeadlessChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
    await db?.close();
  });

  it('Sign in goes to the provider and back to the page; the person shows; an ended session goes to sign-in and back; Sign out, and someone else signs in through the form', async () => {
    await page.goto(`${monitoringUrl}/?refresh=600`);
    await page.getByTestId('queue-locked').waitFor();
    assert.equal(await page.getByTestId('signed-in').textContent(), 'Not signed in');
    assert.equal(await signInWithProvider(page, stack.provider!, 'agent', 'agent-demo'), 'Ada Agent');
    assert.equal(page.url(), `${monitoringUrl}/?refresh=600`);
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
    await until('a new session after the ended one', async () => (await sessionCookie()) !== ended, { timeoutMs: 30_000, intervalMs: 100 });
    await page.waitForURL(`${monitoringUrl}/?refresh=600`);
    await page.getByText('Signed in as Ada Agent').waitFor();

    await signOut(page);
    const session = (await (await page.request.get(`${monitoringUrl}/v1/session`)).json()) as { signed_in: boolean };
    assert.equal(session.signed_in, false);

    // The provider still knows Ada Agent; after the sign-out it asks, and Alex Admin signs in.
    assert.equal(await signInWithProvider(page, stack.provider!, 'admin', 'admin-demo'), 'Alex Admin');
    const admin = (await (await page.request.get(`${monitoringUrl}/v1/session`)).json()) as { subject: string; roles: string[] };
    assert.deepEqual([admin.subject, admin.roles], ['admin@sandbox.invalid', ['admin']]);
  });
});
