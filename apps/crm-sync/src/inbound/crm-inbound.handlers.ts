import { Inject, Injectable } from '@nestjs/common';
import { Topics, type Alert, type Prediction } from '@churn/contracts';
import type { ConsumedMessage } from '@churn/kafka';
import { getOrCreateCounter, type Registry } from '@churn/observability';
import { METRICS_REGISTRY, type TopicHandler } from '@churn/service-kit';

function seenCounter(registry: Registry) {
  return getOrCreateCounter(registry, {
    name: 'crm_sync_messages_seen_total',
    help: 'Messages read by crm-sync, by topic. CRM pushes arrive with the crm-sync issue.',
    labelNames: ['topic'] as const,
  });
}

/** Foundation stage: crm-sync joins its group and accounts for what it reads; the outbox comes with its issue. */
@Injectable()
export class CrmPredictionsHandler implements TopicHandler<typeof Topics.predictions> {
  readonly topic = Topics.predictions;
  private readonly seen;
  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.seen = seenCounter(registry);
  }
  async handle(messages: ConsumedMessage<Prediction>[]): Promise<void> {
    this.seen.inc({ topic: this.topic }, messages.length);
  }
}

@Injectable()
export class CrmAlertsHandler implements TopicHandler<typeof Topics.alerts> {
  readonly topic = Topics.alerts;
  private readonly seen;
  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.seen = seenCounter(registry);
  }
  async handle(messages: ConsumedMessage<Alert>[]): Promise<void> {
    this.seen.inc({ topic: this.topic }, messages.length);
  }
}
