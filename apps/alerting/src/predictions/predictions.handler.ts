import { Inject, Injectable } from '@nestjs/common';
import { Topics, type Prediction } from '@churn/contracts';
import type { ConsumedMessage } from '@churn/kafka';
import { getOrCreateCounter, type Registry } from '@churn/observability';
import { METRICS_REGISTRY, type TopicHandler } from '@churn/service-kit';

/**
 * Foundation stage: alerting joins its group and accounts for every prediction by risk level.
 * Alert rules, storage and notifications arrive with the alerting issue.
 */
@Injectable()
export class PredictionsHandler implements TopicHandler<typeof Topics.predictions> {
  readonly topic = Topics.predictions;
  private readonly seen;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.seen = getOrCreateCounter(registry, {
      name: 'alerting_predictions_seen_total',
      help: 'Predictions read from the predictions topic, by risk level.',
      labelNames: ['risk_level'] as const,
    });
  }

  async handle(messages: ConsumedMessage<Prediction>[]): Promise<void> {
    for (const { value } of messages) this.seen.inc({ risk_level: value.risk_level });
  }
}
