import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO } from './telco-fixture';

/** Every browser spec's pictures, kept with the test results. */
const RESULTS = path.join(REPO, '.churn', 'test-results', 'screenshots');
/** The README's pictures: refreshed from a run with `UPDATE_SCREENSHOT=1`. */
const README_SCREENSHOTS = path.join(REPO, 'docs', 'screenshots');
/**
 * The pictures the README and docs show, each taken by the walk that uses the page as its people do
 * (the agent's morning, the admin's promotion); the page specs' own pictures stay in the results.
 */
const README_PICTURES = new Set(['overview', 'experiments', 'roi', 'models', 'models-phone', 'queue', 'customer', 'customers']);

/**
 * Photographs the visible page as `<name>.png` into the test results and, with UPDATE_SCREENSHOT=1,
 * a README picture into docs/screenshots: the pictures are always of what the test just checked.
 */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, `${name}.png`);
  // No hover highlight left where the last click was.
  await page.mouse.move(0, page.viewportSize()!.height - 1);
  await page.screenshot({ path: file, fullPage: false });
  if (process.env['UPDATE_SCREENSHOT'] === '1' && README_PICTURES.has(name)) {
    fs.mkdirSync(README_SCREENSHOTS, { recursive: true });
    fs.copyFileSync(file, path.join(README_SCREENSHOTS, `${name}.png`));
  }
}
