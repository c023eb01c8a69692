import { Inject, Injectable } from '@nestjs/common';
import { Topics, type Outcome } from '@churn/contracts';
import { Database } from '@churn/db';
import { OutcomeRepository } from '@churn/monitoring-data';
import type { ConsumedMessage } from '@churn/kafka';
import { getOrCreateCounter, type Registry } from '@churn/observability';
import { METRICS_REGISTRY, type TopicHandler } from '@churn/service-kit';
import { recordsRecordedCounters } from '../recorded/records-metrics';

/**
 * Stores observed outcomes (churned or not) for the quality and ROI figures, once per customer and
 * `observed_at` — the same repository and rule as the outcomes people post (`POST /v1/outcomes`).
 */
@Injectable()
export class OutcomesHandler implements TopicHandler<typeof Topics.outcomes> {
  readonly topic = Topics.outcomes;
  readonly deadLetterTopic = Topics.outcomesDlq;
  private readonly outcomes = new OutcomeRepository();
  private readonly stored;
  private readonly recorded;

  constructor(
    private readonly database: Database,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.stored = getOrCreateCounter(registry, {
      name: 'monitoring_outcomes_total',
      help: 'Outcomes received, by result (new, duplicate).',
      labelNames: ['result'] as const,
    });
    this.recorded = recordsRecordedCounters(registry).outcomes;
  }

  async handle(messages: ConsumedMessage<Outcome>[]): Promise<void> {
    const fresh = await this.database.transaction((tx) =>
      this.outcomes.insertNew(
        tx,
        messages.map((m) => m.value),
      ),
    );
    this.stored.inc({ result: 'new' }, fresh);
    this.stored.inc({ result: 'duplicate' }, messages.length - fresh);
    this.recorded.inc({ source: 'topic' }, fresh);
  }
}
