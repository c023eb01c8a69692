import { Inject, Injectable } from '@nestjs/common';
import { CrmIntegrationRepository, type CrmTarget } from '@churn/crm-sync-data';
import { Database } from '@churn/db';
import { SERVICE_CONFIG } from '@churn/service-kit';
import type { CrmIntegrationList, CrmResumeAnswer } from '@churn/contracts';
import type { CrmSyncConfig } from '../config';
import { CrmDrainHost } from '../drain/crm-drain.host';
import { enabledTargets } from '../enabled-targets';
import { IntegrationError } from './integration-error';

/** Each CRM integration's state as every instance sees it (Postgres), and an admin's resume. */
@Injectable()
export class IntegrationsService {
  private readonly repo = new CrmIntegrationRepository();
  private readonly enabled: readonly CrmTarget[];

  constructor(
    @Inject(SERVICE_CONFIG) config: CrmSyncConfig,
    @Inject(Database) private readonly db: Database,
    @Inject(CrmDrainHost) private readonly drain: CrmDrainHost,
  ) {
    this.enabled = enabledTargets(config);
  }

  async list(): Promise<CrmIntegrationList> {
    const rows = await this.repo.list(this.db);
    return {
      integrations: rows.map((r) => ({
        crm: r.target,
        enabled: this.enabled.includes(r.target),
        status: r.status,
        paused_reason: r.paused_reason,
        paused_detail: r.paused_detail,
        paused_at: r.paused_at?.toISOString() ?? null,
        rate_limited_until: r.held ? r.hold_until.toISOString() : null,
        rate_limit: r.held ? r.hold_reason : null,
        resumed_at: r.resumed_at?.toISOString() ?? null,
        resumed_by: r.resumed_by,
      })),
    };
  }

  /** Resumes a paused CRM (its waiting rows are claimed again at once); `by` is the admin's subject. */
  async resume(crm: CrmTarget, by: string): Promise<CrmResumeAnswer> {
    if (!this.enabled.includes(crm)) throw new IntegrationError('CRM_NOT_ENABLED', `${crm} is not configured in this service`);
    const resumed = await this.drain.resume(crm, by);
    return { crm, status: 'active' as const, resumed };
  }
}
