import './styles.css';
import { acknowledgeAlert, ApiError, fetchAlert, fetchAlertQueue, fetchDashboard, type PendingAlert } from './api';
import { renderAlertQueue, renderQueueLocked } from './alert-queue';
import { DashboardCharts } from './charts';
import { askForCredentials, claimedRoles, forgetToken, showSignedIn, storedCredentials } from './credentials';
import { byId } from './dom';
import { formatTime } from './format';
import { fetchIntegrations, resumeIntegration, type Crm } from './integrations-api';
import { renderIntegrations, renderIntegrationsUnavailable, type ResumePermission } from './integrations-panel';
import { renderLinkedAlert, renderLinkedAlertError } from './linked-alert';
import { renderJobs } from './jobs-panel';
import { renderCards, renderDriftSummary, renderQuality, renderRoi, renderRollout } from './panels';
import { fetchSandboxOutbox } from './sandbox-api';
import { Workspace } from './workspace';
import { trapFocus } from './focus-trap';
import { currentSession, loadSession, signOut, signsInWithProvider } from './session';

/** The 30 s; `?refresh=<seconds>` (at least 2) shortens it for demos and the browser test. */
const REFRESH_MS = (() => {
  const seconds = Number(new URLSearchParams(location.search).get('refresh'));
  return Number.isFinite(seconds) && seconds >= 2 ? seconds * 1000 : 30_000;
})();
/** Monitoring's default MONITORING_PSI_THRESHOLD: the drift chart's scale; breaches come from the API. */
const PSI_THRESHOLD = 0.25;

/** `/alerts/<id>` (the link in Slack messages and e-mails) redirects here with `?alert=<id>`. */
const LINKED_ALERT = new URLSearchParams(location.search).get('alert');

const charts = new DashboardCharts();
const workspace = new Workspace({
  toast,
  signIn: (reason?: string) => signIn(reason ?? 'Changing which model serves needs your name and an API token with the admin role.'),
});
let loads = 0;
let nextRefreshAt = Date.now() + REFRESH_MS;
let timer: number | undefined;

async function load(): Promise<void> {
  const status = byId('status');
  // crm-sync's state comes from another service: its failure shows in its panel, not on the figures.
  const integrations = loadIntegrations();
  try {
    const data = await fetchDashboard();
    renderCards(data.cards);
    renderRoi(data.roi);
    charts.renderRiskDistribution(byId<HTMLCanvasElement>('chart-risk-distribution'), data.risk_distribution);
    charts.renderScoreTrend(byId<HTMLCanvasElement>('chart-score-trend'), data.score_trend);
    renderQuality(data.quality, data.shadow_quality);
    renderRollout(data.rollout);
    const drift = renderDriftSummary(data.drift, data.model_alerts, data.quality?.model_version);
    charts.renderDrift(byId<HTMLCanvasElement>('chart-drift'), drift?.features ?? [], PSI_THRESHOLD);
    renderJobs(data.jobs);
    await loadCustomerLevel(data.cards.pending_alerts);
    await integrations;
    loads += 1;
    document.body.dataset['loads'] = String(loads);
    document.body.dataset['computedAt'] = data.computed_at;
    byId('updated').textContent = `Figures computed ${formatTime(data.computed_at)}`;
    status.hidden = true;
  } catch (error) {
    await integrations;
    status.hidden = false;
    status.textContent = `Could not load the figures (${error instanceof Error ? error.message : String(error)}); retrying at the next refresh.`;
  }
}

const SIGN_IN_REASON = 'The alert queue names customers: it needs your name and an API token with the agent role.';

/** What names customers (the queue, a linked alert, the sandbox link) is read with the user's token only. */
async function loadCustomerLevel(pendingAlerts: number): Promise<void> {
  const credentials = storedCredentials();
  if (!credentials) {
    renderQueueLocked(pendingAlerts, 'Sign in to see the pending alerts.', () => void signIn());
    if (LINKED_ALERT) renderLinkedAlertError(LINKED_ALERT, 'sign in to see this alert');
    return;
  }
  try {
    const queue = await fetchAlertQueue(credentials.token);
    renderAlertQueue(queue.alerts, queue.pending_alerts, (alert, button) => void acknowledge(alert, button));
  } catch (error) {
    if (!(error instanceof ApiError) || (error.status !== 401 && error.status !== 403)) throw error;
    forgetToken(error.status);
    renderQueueLocked(pendingAlerts, refusal(error.status), () => void signIn());
    return;
  }
  if (LINKED_ALERT) await loadLinkedAlert(LINKED_ALERT, credentials.token);
  // The demo's integration sandbox, when there is one: a link to what Slack, e-mail and the CRMs received.
  void fetchSandboxOutbox(credentials.token, 1).then(
    (outbox) => (byId('sandbox-link').hidden = outbox === undefined),
    () => undefined,
  );
}

/** Resuming a paused CRM takes an admin's token: crm-sync checks it; the page only disables the button for others. */
function resumePermission(): ResumePermission {
  const credentials = storedCredentials();
  if (!credentials) return { allowed: false, reason: 'Sign in with an admin token to resume.' };
  return claimedRoles(credentials.token).includes('admin')
    ? { allowed: true }
    : { allowed: false, reason: `Resuming needs the admin role; ${credentials.name}'s token lacks it.` };
}

async function loadIntegrations(): Promise<void> {
  try {
    renderIntegrations(await fetchIntegrations(), resumePermission(), (crm, button) => void resume(crm, button));
  } catch (error) {
    const why =
      error instanceof ApiError && (error.status === 502 || error.status === 504)
        ? 'crm-sync did not answer'
        : error instanceof Error
          ? error.message
          : String(error);
    renderIntegrationsUnavailable(why);
  }
}

async function resume(crm: Crm, button: HTMLButtonElement): Promise<void> {
  const credentials = storedCredentials();
  if (!credentials) return;
  button.disabled = true;
  button.textContent = 'Resuming…';
  try {
    await resumeIntegration(crm, credentials.token);
    toast(`${button.dataset['name'] ?? crm} resumed by ${credentials.name}.`, 'ok');
  } catch (error) {
    const status = error instanceof ApiError ? error.status : 0;
    if (status === 401) forgetToken();
    toast(
      status === 401
        ? refusal(status)
        : status === 403
          ? 'Resuming needs a token with the admin role.'
          : `Resume failed: ${error instanceof Error ? error.message : String(error)}`,
      'error',
    );
  }
  await loadIntegrations();
}

async function signIn(reason = SIGN_IN_REASON): Promise<boolean> {
  // Signed in through the provider: the button signs out.
  if (signsInWithProvider() && currentSession()) {
    await signOut();
    return false;
  }
  if (!(await askForCredentials(reason))) return false;
  workspace.refresh();
  await load();
  return true;
}

function refusal(status: number): string {
  if (signsInWithProvider())
    return status === 401 ? 'Your session has ended: sign in again.' : 'Your role does not allow this (it needs agent, or admin for admin actions).';
  return status === 401 ? 'The token was refused (missing, expired or forged): sign in again.' : 'The token lacks the agent or admin role: sign in again.';
}

async function loadLinkedAlert(alertId: string, token: string): Promise<void> {
  try {
    const alert = await fetchAlert(alertId, token);
    renderLinkedAlert(alert, (button) => void acknowledge(alert, button));
  } catch (error) {
    renderLinkedAlertError(
      alertId,
      error instanceof ApiError && error.status === 404 ? 'no such alert' : `could not be loaded (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

function schedule(): void {
  window.clearTimeout(timer);
  nextRefreshAt = Date.now() + REFRESH_MS;
  timer = window.setTimeout(() => void load().finally(schedule), REFRESH_MS);
}

let toastTimer: number | undefined;

/** Shows a message for 5 s; a newer one replaces it and gets its own 5 s. */
function toast(message: string, kind: 'ok' | 'error'): void {
  const node = byId('toast');
  node.textContent = message;
  node.className = `toast toast-${kind}`;
  node.hidden = false;
  window.clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => (node.hidden = true), 5000);
}

async function acknowledge(alert: PendingAlert, button: HTMLButtonElement): Promise<void> {
  const credentials = storedCredentials() ?? (await askForCredentials('Acknowledging needs your name and an API token with the agent role.'));
  if (!credentials) return;
  button.disabled = true;
  button.textContent = 'Acknowledging…';
  try {
    await acknowledgeAlert(alert.alert_id, credentials.name, credentials.token);
    toast(`Alert for ${alert.customer_id} acknowledged by ${credentials.name}.`, 'ok');
  } catch (error) {
    const status = error instanceof ApiError ? error.status : 0;
    if (status === 401 || status === 403) forgetToken(status);
    toast(
      status === 401 || status === 403
        ? refusal(status)
        : status === 409
          ? 'This alert is no longer pending.'
          : `Acknowledge failed: ${error instanceof Error ? error.message : String(error)}`,
      'error',
    );
  }
  await load();
  schedule();
}

function tick(): void {
  const seconds = Math.max(0, Math.ceil((nextRefreshAt - Date.now()) / 1000));
  byId('countdown').textContent = `auto-refresh in ${seconds} s`;
}

byId('sign-in').addEventListener('click', () => void signIn());
for (const dialog of document.querySelectorAll('dialog')) trapFocus(dialog);
byId('refresh-now').addEventListener('click', () => void load().finally(schedule));
document.body.dataset['refreshMs'] = String(REFRESH_MS);
window.setInterval(tick, 1000);
// The pages start once the session is known: a page naming customers would otherwise ask a signed-in person to sign in.
void loadSession()
  .then(() => {
    workspace.start();
    showSignedIn();
    return load();
  })
  .finally(() => {
    schedule();
    tick();
  });
