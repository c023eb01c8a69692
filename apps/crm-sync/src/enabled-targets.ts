import { hubspotSettings, salesforceSettings, type CrmEnv } from '@churn/crm';
import type { CrmTarget } from '@churn/crm-sync-data';

/** The CRMs whose credentials are configured: only those get outbox rows. */
export function enabledTargets(env: CrmEnv): CrmTarget[] {
  const targets: CrmTarget[] = [];
  if (!('disabled' in salesforceSettings(env))) targets.push('salesforce');
  if (!('disabled' in hubspotSettings(env))) targets.push('hubspot');
  return targets;
}
