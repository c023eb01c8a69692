import { Inject, Injectable } from '@nestjs/common';
import { Topics } from '@churn/contracts';
import { Database } from '@churn/db';
import { TopicProducer } from '@churn/kafka';
import type { Logger, Registry } from '@churn/observability';
import { LOGGER, METRICS_REGISTRY, SERVICE_CONFIG, TopicOutboxRelay } from '@churn/service-kit';
import type { AlertingConfig } from '../config';

/**
 * Publishes the `alert-notifications` outbox (NotificationFactsOutbox writes it); consumers dedupe on
 * notification_id. Its own relay and lock, so a backlog of delivery facts never holds up alert changes.
 */
@Injectable()
export class AlertNotificationsRelay extends TopicOutboxRelay<typeof Topics.alertNotifications> {
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
        topic: Topics.alertNotifications,
        outbox: 'alert_notifications',
        metrics: {
          published: 'alerting_alert_notifications_published_total',
          failures: 'alerting_alert_notifications_relay_failures_total',
          waiting: 'alerting_alert_notifications_waiting',
          oldestWaiting: 'alerting_alert_notifications_oldest_waiting_seconds',
          passSeconds: 'alerting_alert_notifications_relay_pass_seconds',
        },
        what: 'Notification delivery attempts',
        // The same cadence and retention as alert-updates: both are the customer timeline's inputs.
        intervalMs: config.ALERT_UPDATES_RELAY_INTERVAL_MS,
        batch: config.ALERT_UPDATES_RELAY_BATCH,
        keepHours: config.ALERT_UPDATES_KEEP_HOURS,
      },
      logger.child({ context: AlertNotificationsRelay.name }),
      registry,
    );
  }
}
