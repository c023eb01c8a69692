import './styles.css';
import { storedCredentials } from './credentials';
import { byId } from './dom';
import { fetchSandboxOutbox } from './sandbox-api';
import { renderLists, renderTotals } from './sandbox-panels';
import { loadSession } from './session';

/** The outbox changes by the second while the demo replays; `?refresh=<seconds>` (at least 2) overrides. */
const REFRESH_MS = (() => {
  const seconds = Number(new URLSearchParams(location.search).get('refresh'));
  return Number.isFinite(seconds) && seconds >= 2 ? seconds * 1000 : 5000;
})();

let loads = 0;

async function load(): Promise<void> {
  const status = byId('status');
  // The dashboard's sign-in, kept in this tab's sessionStorage: the outbox names customers.
  const credentials = storedCredentials();
  if (!credentials) {
    status.hidden = false;
    status.textContent = 'The outbox names customers: sign in on the dashboard first, then come back.';
    byId('outbox').hidden = true;
    return;
  }
  try {
    const outbox = await fetchSandboxOutbox(credentials.token, 100);
    if (!outbox) {
      status.hidden = false;
      status.textContent =
        'No integration sandbox behind this monitoring service: alerting and crm-sync talk to the real Slack, e-mail and CRMs (or have them disabled). `npm run demo` starts one.';
      byId('outbox').hidden = true;
      return;
    }
    renderTotals(outbox);
    renderLists(outbox);
    byId('outbox').hidden = false;
    status.hidden = true;
    loads += 1;
    document.body.dataset['loads'] = String(loads);
    byId('updated').textContent = `Updated ${new Date().toLocaleTimeString('en-GB')}`;
  } catch (error) {
    status.hidden = false;
    status.textContent = `Could not read the sandbox outbox (${error instanceof Error ? error.message : String(error)}); retrying.`;
  }
}

async function loop(): Promise<void> {
  await load();
  window.setTimeout(() => void loop(), REFRESH_MS);
}

// Signed in with the provider: the session cookie; otherwise the dashboard's token in sessionStorage.
void loadSession().then(loop);
