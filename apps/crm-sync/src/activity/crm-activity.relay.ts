import { Inject, Injectable } from '@nestjs/common';
import { Topics } from '@churn/contracts';
import { Database } from '@churn/db';
import { TopicProducer } from '@churn/kafka';
import type { Logger, Registry } from '@churn/observability';
import { LOGGER, METRICS_REGISTRY, SERVICE_CONFIG, TopicOutboxRelay } from '@churn/service-kit';
import type { CrmSyncConfig } from '../config';

/** How often the backlog gauges are refreshed (and published rows past CRM_ACTIVITY_KEEP_HOURS deleted). */
const BACKLOG_REFRESH_MS = 15_000;

/**
 * Publishes the `crm-activity` outbox, which the drain loop (writes and tasks the CRM took) and the
 * read-back (tasks completed) fill in the transactions of their own state changes; consumers dedupe on
 * activity_id.
 */
@Injectable()
export class CrmActivityRelay extends TopicOutboxRelay<typeof Topics.crmActivity> {
  constructor(
    database: Database,
    producer: TopicProducer,
    @Inject(SERVICE_CONFIG) config: CrmSyncConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    super(
      database,
      producer,
      {
        topic: Topics.crmActivity,
        outbox: 'crm_activity',
        metrics: {
          published: 'crm_sync_crm_activity_published_total',
          failures: 'crm_sync_crm_activity_relay_failures_total',
          waiting: 'crm_sync_crm_activity_waiting',
          oldestWaiting: 'crm_sync_crm_activity_oldest_waiting_seconds',
          passSeconds: 'crm_sync_crm_activity_relay_pass_seconds',
        },
        what: 'CRM activities',
        intervalMs: config.CRM_ACTIVITY_RELAY_INTERVAL_MS,
        batch: config.CRM_ACTIVITY_RELAY_BATCH,
        keepHours: config.CRM_ACTIVITY_KEEP_HOURS,
        backlogRefreshMs: BACKLOG_REFRESH_MS,
      },
      logger.child({ context: CrmActivityRelay.name }),
      registry,
    );
  }
}
