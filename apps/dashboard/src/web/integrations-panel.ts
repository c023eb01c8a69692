import { byId, el } from './dom';
import { formatAge, formatTime } from './format';
import type { Crm, CrmIntegration } from './integrations-api';

const CRM_NAMES: Record<Crm, string> = { salesforce: 'Salesforce', hubspot: 'HubSpot' };

/** What the page shows for one CRM: paused needs a person; held waits out a rate limit by itself. */
export type IntegrationState = 'active' | 'paused' | 'held' | 'disabled';

export function stateOf(integration: CrmIntegration, now = Date.now()): IntegrationState {
  if (!integration.enabled) return 'disabled';
  if (integration.status === 'paused') return 'paused';
  return integration.rate_limited_until && Date.parse(integration.rate_limited_until) > now ? 'held' : 'active';
}

/** Whether the signed-in user may resume, and if not, why (shown next to the disabled button). */
export type ResumePermission = { allowed: true } | { allowed: false; reason: string };

/**
 * The "CRM integrations" panel: each CRM's state, and for a paused one its reason, the CRM's message,
 * since when, and a Resume button (enabled for an admin's token only; crm-sync checks it again).
 */
export function renderIntegrations(
  integrations: readonly CrmIntegration[],
  permission: ResumePermission,
  onResume: (crm: Crm, button: HTMLButtonElement) => void,
): void {
  const paused = integrations.filter((i) => stateOf(i) === 'paused');
  const panel = byId('integrations');
  panel.classList.toggle('integrations-attention', paused.length > 0);
  panel.dataset['paused'] = paused.map((i) => i.crm).join(' ');
  setSummary(
    paused.length > 0
      ? `${paused.map((i) => CRM_NAMES[i.crm]).join(' and ')} paused: nothing is written there until a person fixes the cause and resumes.`
      : integrations.some((i) => i.enabled)
        ? 'Writing scores and tasks to the CRMs.'
        : 'No CRM is configured.',
  );
  byId('integrations-body').replaceChildren(...integrations.map((integration) => renderOne(integration, permission, onResume)));
}

/** crm-sync did not answer (or monitoring could not reach it): the panel says so; the rest of the page is unaffected. */
export function renderIntegrationsUnavailable(message: string): void {
  const panel = byId('integrations');
  panel.classList.remove('integrations-attention');
  panel.dataset['paused'] = '';
  setSummary('');
  byId('integrations-body').replaceChildren(
    el(
      'p',
      { class: 'integrations-error', 'data-testid': 'integrations-error' },
      `The CRM integrations' state is unknown: ${message}. Retrying at the next refresh.`,
    ),
  );
}

function setSummary(text: string): void {
  const summary = byId('integrations-summary');
  if (summary.textContent !== text) summary.textContent = text;
}

function renderOne(integration: CrmIntegration, permission: ResumePermission, onResume: (crm: Crm, button: HTMLButtonElement) => void): HTMLElement {
  const state = stateOf(integration);
  const name = CRM_NAMES[integration.crm];
  const id = `integration-${integration.crm}`;
  const lines: (Node | string)[] = [];
  if (state === 'disabled') lines.push(el('p', { class: 'note' }, 'Not configured in crm-sync: no writes.'));
  if (state === 'held') {
    lines.push(el('p', {}, `Held by the CRM's rate limit until ${formatTime(integration.rate_limited_until ?? '')}; it goes on by itself.`));
    if (integration.rate_limit) lines.push(el('p', { class: 'note' }, integration.rate_limit));
  }
  if (state === 'paused') {
    lines.push(
      el(
        'p',
        {},
        'Paused since ',
        el('time', { datetime: integration.paused_at ?? '' }, formatTime(integration.paused_at ?? '')),
        ` (${formatAge(integration.paused_at ?? '')}) · reason `,
        el('code', { 'data-testid': `${id}-reason` }, integration.paused_reason ?? 'unknown'),
      ),
      el('p', { class: 'integration-detail', 'data-testid': `${id}-detail` }, integration.paused_detail ?? ''),
      el('p', { class: 'note' }, 'Its rows wait in the outbox. Fix the cause in the CRM, then resume (crm-sync also retries by itself now and then).'),
      resumeControl(integration.crm, name, permission, onResume),
    );
  }
  if (state === 'active' && integration.resumed_at)
    lines.push(
      el('p', { class: 'note' }, `Last resumed ${formatTime(integration.resumed_at)}${integration.resumed_by ? ` by ${integration.resumed_by}` : ''}.`),
    );
  return el(
    'article',
    { class: `integration integration-${state}`, 'data-testid': id, 'data-crm': integration.crm, 'data-state': state, 'aria-labelledby': `${id}-name` },
    el(
      'h3',
      { id: `${id}-name` },
      name,
      ' ',
      el('span', { class: `badge badge-integration-${state}`, 'data-testid': `${id}-state` }, state === 'held' ? 'rate-limited' : state),
    ),
    ...lines,
  );
}

function resumeControl(crm: Crm, name: string, permission: ResumePermission, onResume: (crm: Crm, button: HTMLButtonElement) => void): HTMLElement {
  const whyId = `resume-${crm}-why`;
  const button = el(
    'button',
    {
      type: 'button',
      'data-testid': `resume-${crm}`,
      'data-name': name,
      disabled: !permission.allowed,
      'aria-describedby': permission.allowed ? undefined : whyId,
    },
    `Resume ${name}`,
  );
  button.addEventListener('click', () => onResume(crm, button));
  return el(
    'div',
    { class: 'integration-actions' },
    button,
    permission.allowed ? '' : el('span', { id: whyId, class: 'note', 'data-testid': `resume-${crm}-why` }, permission.reason),
  );
}
