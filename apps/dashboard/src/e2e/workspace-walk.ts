import type { Browser, Page } from 'playwright-core';
import { signTestToken } from '@churn/testing';
import { launchHeadlessChromium } from './headless-chromium';

/** The walks' viewports: a laptop, and the narrowest phone the workspace supports. */
export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 375, height: 800 };

/** A tab at desktop size in Paris's time zone (so times shown are checked in a zone other than UTC), reporting the page's errors. */
export async function newWorkspaceTab(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: DESKTOP, deviceScaleFactor: 1, timezoneId: 'Europe/Paris' });
  page.on('pageerror', (error) => process.stderr.write(`page error: ${error.stack ?? error.message}\n`));
  return page;
}

/** Headless Chromium with one workspace tab (newWorkspaceTab). */
export async function workspaceBrowser(): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchHeadlessChromium();
  return { browser, page: await newWorkspaceTab(browser) };
}

/**
 * Signs in through the page's credentials dialog with a bearer token for `roles`, signed with the
 * services' `secret` — how a script's token is used when monitoring has no OpenID provider (the walks
 * with the provider use oidc-sign-in.ts). The token's subject is the name as an e-mail
 * (`Ana Agent` → ana.agent@example.com).
 */
export async function signIn(page: Page, secret: string, name: string, roles: readonly string[]): Promise<void> {
  const token = await signTestToken(secret, [...roles], { sub: subjectOf(name), expiresIn: '1h' });
  await page.getByTestId('sign-in').click();
  await page.getByTestId('signin-name').fill(name);
  await page.getByTestId('signin-token').fill(token);
  await page.getByTestId('signin-save').click();
  await page.getByTestId('signin-dialog').waitFor({ state: 'hidden' });
}

export function subjectOf(name: string): string {
  return `${name.toLowerCase().replace(/\s+/g, '.')}@example.com`;
}

/**
 * Opens a page of the workspace afresh and waits until it has rendered (its loading state gone). From
 * blank: going to a URL that differs only in its fragment would leave the previous page's content on
 * screen until the route changes. The tab's session storage (the token) stays.
 */
export async function open(page: Page, url: string, ready: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(url);
  await page.getByTestId(ready).first().waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="state-loading"]').length === 0, undefined, { timeout: 30_000 });
}
