/**
 * Signing in with the company's OpenID provider, when monitoring has it on (`GET /v1/session` says
 * `oidc: true`): the session lives in an httpOnly cookie the page never sees; the page knows who is
 * signed in, their roles and the CSRF token it sends in `x-csrf-token` on every POST. With sign-in
 * off, the page asks for a bearer token instead (credentials.ts).
 */
export interface PersonSession {
  readonly subject: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly roles: readonly string[];
  readonly csrf_token: string;
  readonly expires_at: string;
  readonly idle_expires_at: string;
}

let oidc = false;
let session: PersonSession | null = null;

/** Asks monitoring who is signed in; an ended session (401) counts as signed out. */
export async function loadSession(): Promise<void> {
  try {
    const response = await fetch('v1/session', { headers: { accept: 'application/json' }, cache: 'no-store' });
    if (response.status === 401) {
      oidc = true;
      session = null;
      return;
    }
    if (!response.ok) return;
    const body = (await response.json()) as { oidc?: boolean; signed_in?: boolean } & PersonSession;
    oidc = body.oidc === true;
    session = oidc && body.signed_in ? body : null;
  } catch {
    // Monitoring unreachable: the figures' own error says so; the page stays in token mode.
  }
}

/** Whether people sign in with the OpenID provider (otherwise: a bearer token in the dialog). */
export const signsInWithProvider = (): boolean => oidc;

export const currentSession = (): PersonSession | null => session;

/** To the provider's sign-in, coming back to this very page (path, query and fragment); the page is signed out meanwhile. */
export function goToSignIn(): void {
  session = null;
  location.assign(`auth/login?return_to=${encodeURIComponent(`${location.pathname}${location.search}${location.hash}`)}`);
}

/** The CSRF header a state-changing request made with the session cookie must carry. */
export function csrfHeader(): Record<string, string> {
  return session ? { 'x-csrf-token': session.csrf_token } : {};
}

/** Ends the session at monitoring, then shows the page signed out. */
export async function signOut(): Promise<void> {
  await fetch('auth/logout', { method: 'POST', headers: csrfHeader() }).catch(() => undefined);
  session = null;
  location.assign(location.pathname);
}
