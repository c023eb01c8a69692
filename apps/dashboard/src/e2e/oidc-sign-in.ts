import type { Page } from 'playwright-core';

/** The provider's address (LocalOpenIdProvider's `issuer`, or any provider serving the sandbox's login form). */
export interface SignInProvider {
  readonly issuer: string;
}

const STEP_MS = 30_000;

/**
 * Signs a person in as they would, from a page of the workspace showing nobody signed in: the page's
 * Sign in, the provider's own form filled in and submitted, back on the page the sign-in started
 * from, signed in. Fails when the provider signs someone in without showing its form (its own
 * session of an earlier person reused: monitoring asks it for credentials after a sign-out,
 * docs/security.md) and when it refuses the credentials. Returns the name the page shows
 * (`Signed in as <name>`).
 */
export async function signInWithProvider(page: Page, provider: SignInProvider, username: string, password: string): Promise<string> {
  const site = new URL(page.url()).origin;
  const signInButton = page.getByTestId('sign-in');
  await signInButton.filter({ hasText: /^Sign in$/ }).waitFor({ timeout: STEP_MS });
  await signInButton.click();
  await page
    .waitForURL((url) => url.origin === provider.issuer && url.pathname.startsWith('/interaction/'), { timeout: STEP_MS })
    .catch((error: unknown) => {
      throw new Error(`the provider did not show its sign-in form for ${username} (now at ${page.url()}): ${(error as Error).message}`);
    });
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  const submitted = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/login'), { timeout: STEP_MS });
  await page.getByRole('button', { name: 'Sign in' }).click();
  const answer = await submitted;
  if (answer.status() === 401) throw new Error(`the provider refused ${username}'s credentials`);
  // Back on the page (not monitoring's /auth/ redirects), and the page has read the new session.
  await page.waitForURL((url) => url.origin === site && !url.pathname.startsWith('/auth/'), { timeout: STEP_MS });
  const shown = page.getByTestId('signed-in').filter({ hasText: /^Signed in as / });
  await shown.waitFor({ timeout: STEP_MS });
  return ((await shown.textContent()) ?? '').replace(/^Signed in as /, '');
}

/** Signs out with the page's Sign out: monitoring ends the session (204) and the page shows itself signed out. */
export async function signOut(page: Page): Promise<void> {
  const signOutButton = page.getByTestId('sign-in').filter({ hasText: /^Sign out$/ });
  await signOutButton.waitFor({ timeout: STEP_MS });
  const loggedOut = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/auth/logout'), { timeout: STEP_MS });
  await signOutButton.click();
  const status = (await loggedOut).status();
  if (status !== 204) throw new Error(`monitoring answered ${status} to the sign-out`);
  // Only the page loaded after the sign-out says so: the one that signed out still names the person.
  await page
    .getByTestId('signed-in')
    .filter({ hasText: /^Not signed in$/ })
    .waitFor({ timeout: STEP_MS });
  await page
    .getByTestId('sign-in')
    .filter({ hasText: /^Sign in$/ })
    .waitFor({ timeout: STEP_MS });
}
