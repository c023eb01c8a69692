import { Inject, Injectable } from '@nestjs/common';
import { Topics, type Outcome } from '@churn/contracts';
import { Database, OutcomeRepository } from '@churn/db';
import type { ConsumedMessage } from '@churn/kafka';
import { getOrCreateCounter, type Registry } from '@churn/observability';
import { METRICS_REGISTRY, type TopicHandler } from '@churn/service-kit';

/** Stores observed outcomes (churned or not) for the quality and ROI figures of the monitoring issue. */
@Injectable()
export class OutcomesHandler implements TopicHandler<typeof Topics.outcomes> {
  readonly topic = Topics.outcomes;
  readonly deadLetterTopic = Topics.outcomesDlq;
  private readonly outcomes = new OutcomeRepository();
  private readonly stored;

  constructor(
    private readonly database: Database,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.stored = getOrCreateCounter(registry, {
      name: 'monitoring_outcomes_total',
      help: 'Outcomes received, by result (new, duplicate).',
      labelNames: ['result'] as const,
    });
  }

  async handle(messages: ConsumedMessage<Outcome>[]): Promise<void> {
    const fresh = await this.database.transaction((tx) => this.outcomes.insertNew(tx, messages.map((m) => m.value)));
    this.stored.inc({ result: 'new' }, fresh);
    this.stored.inc({ result: 'duplicate' }, messages.length - fresh);
  }
}
