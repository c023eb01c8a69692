import { Inject, Injectable } from '@nestjs/common';
import { Topics, type Prediction } from '@churn/contracts';
import type { ConsumedMessage } from '@churn/kafka';
import { getOrCreateGauge, type Registry } from '@churn/observability';
import { METRICS_REGISTRY, type TopicHandler } from '@churn/service-kit';

/** Foundation stage: the latest risk score seen per level; model quality and drift come with the monitoring issue. */
@Injectable()
export class MonitoringPredictionsHandler implements TopicHandler<typeof Topics.predictions> {
  readonly topic = Topics.predictions;
  private readonly lastScoredAt;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.lastScoredAt = getOrCreateGauge(registry, {
      name: 'monitoring_last_prediction_timestamp_seconds',
      help: 'Scoring time of the newest prediction seen, by model version.',
      labelNames: ['model_version'] as const,
    });
  }

  async handle(messages: ConsumedMessage<Prediction>[]): Promise<void> {
    for (const { value } of messages) this.lastScoredAt.set({ model_version: value.model_version }, Date.parse(value.scored_at) / 1000);
  }
}
