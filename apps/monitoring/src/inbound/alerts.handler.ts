import { Inject, Injectable } from '@nestjs/common';
import { Topics, type Alert } from '@churn/contracts';
import type { ConsumedMessage } from '@churn/kafka';
import { getOrCreateCounter, type Registry } from '@churn/observability';
import { METRICS_REGISTRY, type TopicHandler } from '@churn/service-kit';

/**
 * Alerts as alerting publishes them: counted by level. The dashboard's queue is built from
 * `alert-updates` (each alert's newest state); acknowledging goes through alerting's API.
 */
@Injectable()
export class AlertsHandler implements TopicHandler<typeof Topics.alerts> {
  readonly topic = Topics.alerts;
  private readonly seen;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.seen = getOrCreateCounter(registry, {
      name: 'monitoring_alerts_seen_total',
      help: 'Customer alerts seen on the alerts topic, by level.',
      labelNames: ['level'] as const,
    });
  }

  async handle(messages: ConsumedMessage<Alert>[]): Promise<void> {
    for (const { value } of messages) this.seen.inc({ level: value.level });
  }
}
