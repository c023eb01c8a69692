import { Inject, Injectable } from '@nestjs/common';
import { Topics } from '@churn/contracts';
import { Database } from '@churn/db';
import { TopicProducer } from '@churn/kafka';
import type { Logger, Registry } from '@churn/observability';
import { LOGGER, METRICS_REGISTRY, SERVICE_CONFIG, TopicOutboxRelay } from '@churn/service-kit';
import type { AlertingConfig } from '../config';

/** Publishes the `alert-updates` outbox (AlertUpdatesOutbox writes it); consumers dedupe on update_id. */
@Injectable()
export class AlertUpdatesRelay extends TopicOutboxRelay<typeof Topics.alertUpdates> {
  constructor(
    database: Database,
    producer: TopicProducer,
    @Inject(SERVICE_CONFIG) config: AlertingConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    super(
      database,
      producer,
      {
        topic: Topics.alertUpdates,
        outbox: 'alert_updates',
        metrics: {
          published: 'alerting_alert_updates_published_total',
          failures: 'alerting_alert_updates_relay_failures_total',
          waiting: 'alerting_alert_updates_waiting',
          oldestWaiting: 'alerting_alert_updates_oldest_waiting_seconds',
          passSeconds: 'alerting_alert_updates_relay_pass_seconds',
        },
        what: 'Alert changes',
        intervalMs: config.ALERT_UPDATES_RELAY_INTERVAL_MS,
        batch: config.ALERT_UPDATES_RELAY_BATCH,
        keepHours: config.ALERT_UPDATES_KEEP_HOURS,
      },
      logger.child({ context: AlertUpdatesRelay.name }),
      registry,
    );
  }
}
