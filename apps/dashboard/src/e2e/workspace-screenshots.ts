import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO } from './telco-fixture';

/** Where the workspace specs' screenshots go. */
export const WORKSPACE_RESULTS = path.join(REPO, '.churn', 'test-results', 'workspace');
/** `UPDATE_SCREENSHOT=1` also refreshes the README's pictures. */
const README_SCREENSHOTS = path.join(REPO, 'docs', 'screenshots');

/** The viewport as it is now, as `<name>.png` in WORKSPACE_RESULTS (and docs/screenshots with UPDATE_SCREENSHOT=1). */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(WORKSPACE_RESULTS, { recursive: true });
  const file = path.join(WORKSPACE_RESULTS, `${name}.png`);
  // No hover highlight left where the last click was.
  await page.mouse.move(0, page.viewportSize()!.height - 1);
  await page.screenshot({ path: file, fullPage: false });
  if (process.env['UPDATE_SCREENSHOT'] === '1') {
    fs.mkdirSync(README_SCREENSHOTS, { recursive: true });
    fs.copyFileSync(file, path.join(README_SCREENSHOTS, `${name}.png`));
  }
}
