import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { signTestToken } from '@churn/testing';
import { REPO } from './telco-fixture';

/** The walks' viewports: a laptop, and the narrowest phone the workspace supports. */
export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 375, height: 800 };

/** `UPDATE_SCREENSHOT=1` also refreshes the README's pictures here. */
const README_SCREENSHOTS = path.join(REPO, 'docs', 'screenshots');

/** A tab at desktop size in Paris's time zone (so times shown are checked in a zone other than UTC), reporting the page's errors. */
export async function newWorkspaceTab(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: DESKTOP, deviceScaleFactor: 1, timezoneId: 'Europe/Paris' });
  page.on('pageerror', (error) => process.stderr.write(`page error: ${error.stack ?? error.message}\n`));
  return page;
}

/**
 * Signs in through the page's credentials dialog with a bearer token for `roles`, signed with the
 * services' `secret`: the one place the walks sign in, so moving them to the OpenID provider's sign-in
 * is a change here only. The token's subject is the name as an e-mail (`Ana Agent` → ana.agent@example.com).
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

/** The viewport as `<dir>/<name>.png`; with `UPDATE_SCREENSHOT=1` also as `docs/screenshots/<name>.png`. */
export async function screenshot(page: Page, dir: string, name: string): Promise<void> {
  const file = path.join(dir, `${name}.png`);
  fs.mkdirSync(dir, { recursive: true });
  // No hover highlight left where the last click was.
  await page.mouse.move(0, page.viewportSize()!.height - 1);
  await page.screenshot({ path: file, fullPage: false });
  if (process.env['UPDATE_SCREENSHOT'] === '1') {
    fs.mkdirSync(README_SCREENSHOTS, { recursive: true });
    fs.copyFileSync(file, path.join(README_SCREENSHOTS, `${name}.png`));
  }
}
