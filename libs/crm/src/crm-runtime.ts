import { CrmIntegrationRepository, CrmOutboxRepository, CrmReadbackRepository, type CrmTarget } from '@churn/crm-sync-data';
import { type Database } from '@churn/db';
import type { Logger } from '@churn/observability';
import { hubspotSettings, salesforceSettings, type CrmEnv } from './crm-config';
import type { CrmGateway } from './crm-gateway';
import type { CrmMetrics } from './crm-metrics';
import { setPausedGauge } from './integration-control';
import { HubSpotGateway } from './hubspot.gateway';
import { SalesforceGateway } from './salesforce.gateway';

/** The gateways of the CRMs whose credentials are set; each disabled one is logged once, with the reason. */
export function createCrmGateways(env: CrmEnv, logger: Logger, metrics: CrmMetrics): CrmGateway[] {
  const observe = (target: CrmTarget, endpoint: string, status: string) => metrics.apiCalls.inc({ target, endpoint, status });
  const gateways: CrmGateway[] = [];
  const sf = salesforceSettings(env);
  if ('disabled' in sf) logger.info({ target: 'salesforce', reason: sf.disabled }, 'Salesforce integration disabled');
  else gateways.push(new SalesforceGateway(sf, logger.child({ context: SalesforceGateway.name }), observe));
  const hs = hubspotSettings(env);
  if ('disabled' in hs) logger.info({ target: 'hubspot', reason: hs.disabled }, 'HubSpot integration disabled');
  else gateways.push(new HubSpotGateway(hs, logger.child({ context: HubSpotGateway.name }), observe, env.CRM_RATE_LIMIT_WAIT_MS));
  return gateways;
}

/**
 * Sets the outbox depth and oldest-age gauges, each CRM's pause and rate-limit hold, and the last
 * successful read-back of each enabled CRM, from Postgres (what every instance sees).
 */
export async function refreshOutboxGauges(db: Database, metrics: CrmMetrics, enabled: readonly CrmTarget[] = []): Promise<void> {
  const rows = await new CrmOutboxRepository().depth(db);
  for (const target of ['salesforce', 'hubspot'] as const) {
    for (const status of ['pending', 'parked'] as const) {
      const row = rows.find((r) => r.target === target && r.status === status);
      metrics.outboxDepth.set({ target, status }, row?.n ?? 0);
      metrics.outboxOldest.set({ target, status }, row?.oldest_age_seconds ?? 0);
    }
  }
  for (const row of await new CrmIntegrationRepository().list(db)) {
    setPausedGauge(metrics, row.target, row.status === 'paused' ? row.paused_reason : null);
    metrics.rateLimitHold.set({ crm: row.target }, row.held ? Math.max(0, (row.hold_until.getTime() - Date.now()) / 1000) : 0);
  }
  for (const row of await new CrmReadbackRepository().list(db)) {
    if (enabled.includes(row.target)) metrics.readbackLastSuccess.set({ crm: row.target }, (row.last_success_at?.getTime() ?? 0) / 1000);
  }
}
