import type { CrmIntegration, CrmIntegrationList } from '@churn/contracts';
import { apiErrorOf, bearerHeader } from './api';
import { csrfHeader } from './session';

/** The CRMs crm-sync writes to. */
export type Crm = CrmIntegration['crm'];
export type { CrmIntegration } from '@churn/contracts';

/** The integrations' state: open like `/v1/dashboard` (it names no customer), so no token. */
export async function fetchIntegrations(): Promise<CrmIntegration[]> {
  const response = await fetch('v1/integrations', { headers: { accept: 'application/json' }, cache: 'no-store' });
  if (!response.ok) throw await apiErrorOf(response);
  return ((await response.json()) as CrmIntegrationList).integrations;
}

/** Resumes a paused CRM through monitoring, which forwards the user's token to crm-sync (admin role, audited). */
export async function resumeIntegration(crm: Crm, token: string): Promise<void> {
  const response = await fetch(`v1/integrations/${crm}/resume`, {
    method: 'POST',
    headers: { accept: 'application/json', ...bearerHeader(token), ...csrfHeader() },
  });
  if (!response.ok) throw await apiErrorOf(response);
}
