import type { Browser, Page } from 'playwright-core';
import { signTestToken } from '@churn/testing';
import { launchHeadlessChromium } from './headless-chromium';

export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 375, height: 800 };

/** Headless Chromium with one desktop-sized page in Paris's time zone (times on the pages are the viewer's), its errors on stderr. */
export async function workspaceBrowser(): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchHeadlessChromium();
  const page = await browser.newPage({ viewport: DESKTOP, deviceScaleFactor: 1, timezoneId: 'Europe/Paris' });
  page.on('pageerror', (error) => process.stderr.write(`page error: ${error.stack ?? error.message}\n`));
  return { browser, page };
}

/**
 * Signs in through the page's credentials dialog with a bearer token for `roles`, signed with
 * `secret`: the one place the walks sign in, so moving them to the OpenID provider's sign-in is a
 * change here only.
 */
export async function signIn(page: Page, secret: string, name: string, roles: readonly string[]): Promise<void> {
  const token = await signTestToken(secret, [...roles], { sub: `${name.toLowerCase().replace(/\s+/g, '.')}@example.com`, expiresIn: '1h' });
  await page.getByTestId('sign-in').click();
  await page.getByTestId('signin-name').fill(name);
  await page.getByTestId('signin-token').fill(token);
  await page.getByTestId('signin-save').click();
  await page.getByTestId('signin-dialog').waitFor({ state: 'hidden' });
}

/** Opens a page of the workspace and waits until it has rendered (its loading state gone). */
export async function open(page: Page, url: string, ready: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId(ready).first().waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="state-loading"]').length === 0, undefined, { timeout: 30_000 });
}

