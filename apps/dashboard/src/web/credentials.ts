import { byId } from './dom';

/**
 * Who reads the customer-level panels and acknowledges: a name (recorded as `by`) and a bearer token
 * with the `agent` or `admin` role, entered once per browser tab and kept in sessionStorage only —
 * never in the bundle, never in localStorage, gone when the tab closes. Monitoring checks the token
 * for its reads and forwards it to alerting, which checks it again.
 */
export interface Credentials {
  readonly name: string;
  readonly token: string;
}

const NAME_KEY = 'churn-radar.dashboard.name';
const TOKEN_KEY = 'churn-radar.dashboard.token';

export function storedCredentials(): Credentials | null {
  const name = sessionStorage.getItem(NAME_KEY);
  const token = sessionStorage.getItem(TOKEN_KEY);
  return name && token ? { name, token } : null;
}

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  showSignedIn();
}

export function showSignedIn(): void {
  const credentials = storedCredentials();
  byId('signed-in').textContent = credentials ? `Acknowledging as ${credentials.name}` : 'Not signed in';
  byId('sign-in').textContent = credentials ? 'Change' : 'Sign in';
}

/** Opens the sign-in dialog; resolves with the saved credentials, or null when cancelled. */
export function askForCredentials(reason?: string): Promise<Credentials | null> {
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
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const roles: unknown = (JSON.parse(json) as { roles?: unknown }).roles;
    return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return [];
  }
}
