import { byId } from './dom';
import { currentSession, goToSignIn, signsInWithProvider } from './session';

/**
 * Who reads the customer-level panels and acknowledges: a name (recorded as `by`) and a bearer token
 * with the `agent` or `admin` role, entered once per browser tab and kept in sessionStorage only —
 * never in the bundle, never in localStorage, gone when the tab closes. Monitoring checks the token
 * for its reads and forwards it to alerting, which checks it again. When people sign in with the
 * OpenID provider (session.ts), the signed-in person stands in: their name, and no token (the
 * session cookie goes with every request).
 */
export interface Credentials {
  readonly name: string;
  readonly token: string;
}

const NAME_KEY = 'churn-radar.dashboard.name';
const TOKEN_KEY = 'churn-radar.dashboard.token';

export function storedCredentials(): Credentials | null {
  if (signsInWithProvider()) {
    const session = currentSession();
    return session ? { name: session.name ?? session.subject, token: '' } : null;
  }
  const name = sessionStorage.getItem(NAME_KEY);
  const token = sessionStorage.getItem(TOKEN_KEY);
  return name && token ? { name, token } : null;
}

/** After a 401 or 403: a token is forgotten (another may be entered); an ended session (401) goes to sign-in. */
export function forgetToken(status = 401): void {
  if (signsInWithProvider()) {
    if (status === 401) goToSignIn();
    showSignedIn();
    return;
  }
  sessionStorage.removeItem(TOKEN_KEY);
  showSignedIn();
}

export function showSignedIn(): void {
  const credentials = storedCredentials();
  if (signsInWithProvider()) {
    byId('signed-in').textContent = credentials ? `Signed in as ${credentials.name}` : 'Not signed in';
    byId('sign-in').textContent = credentials ? 'Sign out' : 'Sign in';
    return;
  }
  byId('signed-in').textContent = credentials ? `Acknowledging as ${credentials.name}` : 'Not signed in';
  byId('sign-in').textContent = credentials ? 'Change' : 'Sign in';
}

/** Opens the sign-in dialog; resolves with the saved credentials, or null when cancelled. */
export function askForCredentials(reason?: string): Promise<Credentials | null> {
  if (signsInWithProvider()) {
    goToSignIn();
    return Promise.resolve(null);
  }
  const dialog = byId<HTMLDialogElement>('signin-dialog');
  const form = byId<HTMLFormElement>('signin-form');
  const name = byId<HTMLInputElement>('signin-name');
  const token = byId<HTMLInputElement>('signin-token');
  byId('signin-reason').textContent = reason ?? '';
  name.value = sessionStorage.getItem(NAME_KEY) ?? '';
  token.value = '';
  dialog.showModal();
  return new Promise((resolve) => {
    const finish = (result: Credentials | null) => {
      form.removeEventListener('submit', onSubmit);
      dialog.removeEventListener('close', onClose);
      if (dialog.open) dialog.close();
      showSignedIn();
      resolve(result);
    };
    const onSubmit = (event: SubmitEvent) => {
      event.preventDefault();
      if ((event.submitter as HTMLButtonElement | null)?.value === 'cancel') return finish(null);
      const credentials = { name: name.value.trim(), token: token.value.trim().replace(/^Bearer\s+/i, '') };
      if (!credentials.name || !credentials.token) return;
      sessionStorage.setItem(NAME_KEY, credentials.name);
      sessionStorage.setItem(TOKEN_KEY, credentials.token);
      finish(credentials);
    };
    const onClose = () => finish(null);
    form.addEventListener('submit', onSubmit);
    dialog.addEventListener('close', onClose);
  });
}

/**
 * The roles a token claims (its `roles` claim, read without checking the signature): only to show or
 * disable buttons the user may not use. The services verify the token and decide.
 */
export function claimedRoles(token: string): readonly string[] {
  if (token === '') return currentSession()?.roles ?? [];
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(
      payload
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(payload.length / 4) * 4, '='),
    );
    const roles: unknown = (JSON.parse(json) as { roles?: unknown }).roles;
    return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return [];
  }
}
