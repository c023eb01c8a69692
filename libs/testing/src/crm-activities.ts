import type { CrmActivity } from '@churn/contracts';
import { uniqueId } from './test-env';

/**
 * What crm-sync did in HubSpot for a customer at `at` (ms), on `crm-activities`: a score of 70
 * written, or a retention task `T-<customer>` for the alert `<customer>-alert` created or completed (by Ana).
 */
export function aCrmActivity(customerId: string, kind: CrmActivity['kind'], at: number, overrides: Partial<CrmActivity> = {}): CrmActivity {
  const written = kind === 'record_written';
  return {
    schema_version: 1,
    activity_id: uniqueId('act'),
    customer_id: customerId,
    crm: 'hubspot',
    kind,
    external_id: written ? null : `T-${customerId}`,
    write: written ? 'score' : null,
    risk_score: written ? 70 : null,
    alert_id: written ? null : `${customerId}-alert`,
    completed_by: kind === 'task_completed' ? 'Ana' : null,
    occurred_at: new Date(at).toISOString(),
    ...overrides,
  };
}
